using System;
using System.Collections.Generic;
using System.Linq;

namespace HaloSync.Engine.Mapping;

/// <summary>
/// The Cumulus organizations a command works with, read once and indexed by id and by name, so a spreadsheet of
/// 3,000 rows reads them once rather than once per row. <see cref="Put"/> keeps it current as mappings are saved.
/// </summary>
public sealed class OrganizationDirectory
{
    private const string What = "Cumulus organization";
    private const string ListCommand = "Get-CumulusOrganization";
    private readonly Dictionary<string, OrganizationMapping> byId = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<OrganizationMapping>> byName = new(StringComparer.OrdinalIgnoreCase);

    public OrganizationDirectory(IEnumerable<OrganizationMapping> organizations)
    {
        foreach (var organization in organizations)
        {
            Put(organization);
        }
    }

    public IReadOnlyCollection<OrganizationMapping> All => byId.Values;

    /// <summary>The organizations mapped to a HaloPSA client.</summary>
    public IEnumerable<OrganizationMapping> BillingTo(int haloClientId) => byId.Values.Where(o => o.HaloClientId == haloClientId);

    /// <summary>
    /// What an -Organization value selects: the organization with that id, else with that name (ignoring case and
    /// surrounding spaces), else, when <paramref name="wildcard"/> is given, every one whose name or id it matches.
    /// </summary>
    public List<OrganizationMapping> Select(string idOrName, Func<string, bool>? wildcard)
    {
        var wanted = (idOrName ?? string.Empty).Trim();
        if (byId.TryGetValue(wanted, out var exact))
        {
            return new List<OrganizationMapping> { exact };
        }

        if (byName.TryGetValue(wanted, out var named) && named.Count > 0)
        {
            return named.ToList();
        }

        return wildcard is null
            ? new List<OrganizationMapping>()
            : byId.Values.Where(o => wildcard(o.Name) || wildcard(o.OrganizationId)).OrderBy(o => o.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>The one organization a value names (id, name, or a wildcard matching just one); otherwise an error that lists the candidates.</summary>
    /// <param name="connected">Whether the session could look an organization not seen yet up in Sherweb (if not, the error says to connect).</param>
    public OrganizationMapping Find(string idOrName, Func<string, bool>? wildcard, bool connected = true)
    {
        if (string.IsNullOrWhiteSpace(idOrName))
        {
            throw new HaloSyncException("MissingOrganization", HaloSyncErrorKind.InvalidArgument,
                "The Cumulus organization is empty. Fill the 'Organization' cell with its name or id; Get-CumulusOrganization lists them.");
        }

        var wanted = idOrName.Trim();
        var selected = Select(wanted, wildcard);
        return selected.Count switch
        {
            1 => selected[0],
            0 when !connected => throw new HaloSyncException(NameResolver.ErrorIdPrefix(What) + "NotFound", HaloSyncErrorKind.NotFound,
                $"No {What} with the id or name '{wanted}' has been seen, and this session is not connected to Sherweb to look it up. " +
                "Run Connect-Cumulus first: organizations not seen yet are then looked up in Sherweb."),
            0 => throw NameResolver.NotFound(wanted, All, o => o.OrganizationId, o => o.Name, What, ListCommand),
            _ => throw NameResolver.Ambiguous(wildcard is null ? $"The {What} name '{wanted}'" : $"'{wanted}'", selected, o => o.OrganizationId, o => o.Name, What,
                wildcard is null ? "Give the id instead." : "Give one name or id."),
        };
    }

    /// <summary>The known names nearest to a value that selected nothing.</summary>
    public List<string> Nearest(string typed) => Suggestions.Nearest(typed, All.Select(o => o.Name).Distinct(StringComparer.OrdinalIgnoreCase));

    /// <summary>What to say of an -Organization value that selected nothing: the nearest names, or where to list them.</summary>
    public string NoMatch(string value)
    {
        var nearest = Nearest(value);
        return $"No {What} matches '{value.Trim()}'. " + (nearest.Count == 0
            ? $"{ListCommand} lists them."
            : "Similar: " + string.Join("; ", nearest.Select(n => $"'{n}'")) + ".");
    }

    /// <summary>Adds an organization, or replaces the one with its id.</summary>
    public void Put(OrganizationMapping organization)
    {
        if (byId.TryGetValue(organization.OrganizationId, out var old) && byName.TryGetValue(old.Name.Trim(), out var sameName))
        {
            sameName.Remove(old);
        }

        byId[organization.OrganizationId] = organization;
        var key = organization.Name.Trim();
        if (!byName.TryGetValue(key, out var list))
        {
            byName[key] = list = new List<OrganizationMapping>();
        }

        list.Add(organization);
    }
}

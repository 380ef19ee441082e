using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using HaloSync.Engine.State;

namespace HaloSync;

/// <summary>
/// Completes from the local state database only (never the network): the file named by -StatePath
/// on the command line, else the session's, else the environment's or the default. No state, no completions.
/// </summary>
internal abstract class StateCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var path = StatePaths.Resolve(fakeBoundParameters["StatePath"] is string typed ? FromCurrentLocation(typed) : ModuleSession.Current.StatePath);
            if (!File.Exists(path))
            {
                return Array.Empty<CompletionResult>();
            }

            using var store = StateStore.OpenExisting(path, whatIf: true); // completing never writes, not even a schema upgrade
            var pattern = new WildcardPattern(wordToComplete.Trim('\'', '"') + "*", WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            return Candidates(store)
                .Where(c => pattern.IsMatch(c.Value))
                .Distinct()
                .OrderBy(c => c.Value, StringComparer.OrdinalIgnoreCase)
                .Select(c => new CompletionResult(Quote(c.Value), c.Value, CompletionResultType.ParameterValue, c.Tooltip))
                .ToList();
        }
        catch (Exception)
        {
            // A completer must never break typing: a locked or damaged file just completes nothing.
            return Array.Empty<CompletionResult>();
        }
    }

    protected abstract IEnumerable<(string Value, string Tooltip)> Candidates(StateStore store);

    /// <summary>
    /// A typed path as the cmdlet reads it: relative to PowerShell's current location, which is not the process's folder.
    /// Asked of the session by a nested pipeline (its state proxy refuses calls while completion runs).
    /// </summary>
    private static string FromCurrentLocation(string typed)
    {
        using var session = PowerShell.Create(RunspaceMode.CurrentRunspace);
        session.AddScript("$ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($args[0])").AddArgument(typed);
        return session.Invoke().FirstOrDefault()?.BaseObject as string ?? typed;
    }

    private static string Quote(string value)
        => value.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', '(', ')', ',', ';', '{', '}', '@', '#', '&', '|' }) < 0
            ? value
            : "'" + value.Replace("'", "''") + "'";
}

internal sealed class HaloClientNameCompleter : StateCompleter
{
    protected override IEnumerable<(string, string)> Candidates(StateStore store)
        => new HaloCatalogCache(store).GetClients().Select(c => (c.Name ?? string.Empty, $"{c.Name} (HaloPSA client {c.Id})"));
}

internal sealed class HaloItemNameCompleter : StateCompleter
{
    protected override IEnumerable<(string, string)> Candidates(StateStore store)
        => new HaloCatalogCache(store).GetItems().Select(i => (i.Name ?? string.Empty, $"{i.Name} (HaloPSA item {i.Id}, {i.SupplierPartCode})"));
}

internal sealed class OrganizationNameCompleter : StateCompleter
{
    protected override IEnumerable<(string, string)> Candidates(StateStore store)
        => new Engine.Mapping.MappingRepository(store).GetOrganizations().Select(o => (o.Name, $"{o.Name} ({o.Status}, {o.OrganizationId})"));
}

internal sealed class ProductNameCompleter : StateCompleter
{
    protected override IEnumerable<(string, string)> Candidates(StateStore store)
        => new Engine.Mapping.MappingRepository(store).GetProducts().Select(p => (p.ProductName, $"{p.ProductName} ({p.Sku}, {p.Status})"));
}

internal sealed class ProductSkuCompleter : StateCompleter
{
    protected override IEnumerable<(string, string)> Candidates(StateStore store)
        => new Engine.Mapping.MappingRepository(store).GetProducts().Select(p => (p.Sku, $"{p.Sku}: {p.ProductName} ({p.Status})"));
}

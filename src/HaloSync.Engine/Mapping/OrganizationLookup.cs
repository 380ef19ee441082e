namespace HaloSync.Engine.Mapping;

public static class OrganizationLookup
{
    /// <summary>A known organization by Cumulus id or exact name; an empty, unknown or ambiguous value is an error listing candidates.</summary>
    public static OrganizationMapping Find(MappingRepository mappings, string idOrName)
    {
        if (string.IsNullOrWhiteSpace(idOrName))
        {
            throw new HaloSyncException("MissingOrganization", HaloSyncErrorKind.InvalidArgument,
                "The Cumulus organization is empty. Fill the 'Organization' cell with its name or id; Get-CumulusOrganization lists them.");
        }

        return NameResolver.Resolve(idOrName, mappings.GetOrganizations(), o => o.OrganizationId, o => o.Name, "Cumulus organization", "Get-CumulusOrganization");
    }
}

using System.Linq;
using HaloSync.Engine.Mapping;

namespace HaloSync.Engine.Tests.Mapping;

public sealed class OrganizationDirectoryTests
{
    private readonly OrganizationDirectory directory = new(new[]
    {
        Organization("org-1", "Contoso Ltd", 12),
        Organization("org-2", "Fabrikam, Inc.", null),
        Organization("org-3", "Twin Co", 14),
        Organization("org-4", "Twin Co", null),
    });

    [Theory]
    [InlineData("org-1", "org-1")]
    [InlineData(" ORG-1 ", "org-1")]
    [InlineData(" contoso ltd ", "org-1")]
    public void Finds_by_id_then_by_exact_name_ignoring_case_and_spaces(string value, string id)
        => Assert.Equal(id, directory.Find(value, null).OrganizationId);

    [Fact]
    public void Finds_by_a_wildcard_that_matches_one()
        => Assert.Equal("org-2", directory.Find("Fab*", name => name.StartsWith("Fab")).OrganizationId);

    [Fact]
    public void A_value_that_matches_none_names_the_nearest()
    {
        var error = Assert.Throws<HaloSyncException>(() => directory.Find("Contosso Ltd", null));

        Assert.Equal("CumulusOrganizationNotFound", error.ErrorId);
        Assert.Equal("No Cumulus organization has the id or name 'Contosso Ltd'. Similar: 'Contoso Ltd' (id org-1).", error.Message);
    }

    [Fact]
    public void A_name_or_a_wildcard_that_matches_several_lists_them()
    {
        var twins = Assert.Throws<HaloSyncException>(() => directory.Find("Twin Co", null));
        var pattern = Assert.Throws<HaloSyncException>(() => directory.Find("*o*", name => name.Contains('o')));

        Assert.Equal("CumulusOrganizationAmbiguous", twins.ErrorId);
        Assert.Equal("The Cumulus organization name 'Twin Co' matches 2 records: 'Twin Co' (id org-3); 'Twin Co' (id org-4). Give the id instead.", twins.Message);
        Assert.StartsWith("'*o*' matches 4 records: 'Contoso Ltd' (id org-1);", pattern.Message);
        Assert.EndsWith("Give one name or id.", pattern.Message);
    }

    [Fact]
    public void An_empty_value_says_what_to_fill_in()
        => Assert.Equal("MissingOrganization", Assert.Throws<HaloSyncException>(() => directory.Find("  ", null)).ErrorId);

    [Fact]
    public void Select_returns_every_match_of_a_filter_and_none_for_an_unknown_value()
    {
        Assert.Equal(new[] { "org-1" }, directory.Select("Contoso Ltd", null).Select(o => o.OrganizationId));
        Assert.Equal(new[] { "org-3", "org-4" }, directory.Select("Twin Co", null).Select(o => o.OrganizationId));
        Assert.Equal(new[] { "org-1", "org-2" }, directory.Select("*", name => name.Contains(',') || name.StartsWith("Contoso")).Select(o => o.OrganizationId));
        Assert.Empty(directory.Select("Nobody", null));
    }

    [Fact]
    public void Put_keeps_the_index_current_after_a_save_or_a_rename()
    {
        directory.Put(Organization("org-2", "Fabrikam Group", 12));

        Assert.Empty(directory.Select("Fabrikam, Inc.", null));
        Assert.Equal("org-2", directory.Find("fabrikam group", null).OrganizationId);
        Assert.Equal(new[] { "org-1", "org-2" }, directory.BillingTo(12).Select(o => o.OrganizationId).OrderBy(id => id));
    }

    private static OrganizationMapping Organization(string id, string name, int? client)
        => new() { OrganizationId = id, Name = name, HaloClientId = client, SyncEnabled = client is not null };
}

using HaloSync.Engine.Mapping;

namespace HaloSync.Engine.Tests.Mapping;

public sealed class SuggestionsTests
{
    private static readonly string[] Organizations = { "Contoso Ltd", "Fabrikam, Inc.", "Northwind Traders", "Trey Research", "Contoso Pharmaceuticals" };

    [Theory]
    // One letter added: 'Contosso Ltd' -> 'Contoso Ltd' is 1 edit; 12 letters allow 12 / 4 = 3.
    [InlineData("Contosso Ltd", new[] { "Contoso Ltd" })]
    // Contained in a name, ignoring case: both Contoso names hold 'contoso' (score 0), sorted by name.
    [InlineData("CONTOSO", new[] { "Contoso Ltd", "Contoso Pharmaceuticals" })]
    [InlineData("Fabrikam", new[] { "Fabrikam, Inc." })]
    // A wildcard's letters: 'Contosso*' -> 'contosso', 1 edit from the start 'contoso' of both Contoso names.
    [InlineData("Contosso*", new[] { "Contoso Ltd", "Contoso Pharmaceuticals" })]
    // Two letters swapped is one edit: 'Nrothwind' -> 'Northwind', the start of 'Northwind Traders'.
    [InlineData("Nrothwind", new[] { "Northwind Traders" })]
    // Nothing within 'Adventure Works' (15 letters allow 3 edits).
    [InlineData("Adventure Works", new string[0])]
    [InlineData("*", new string[0])]
    public void Names_within_a_few_keystrokes_or_holding_the_text_come_first(string typed, string[] expected)
        => Assert.Equal(expected, Suggestions.Nearest(typed, Organizations));

    [Fact]
    public void A_mistyped_SKU_finds_the_SKU()
        // 'MS-VISO-P2' -> 'MS-VISIO-P2': one letter added; 10 letters allow 2.
        => Assert.Equal(new[] { "MS-VISIO-P2" }, Suggestions.Nearest("MS-VISO-P2", new[] { "MS-VISIO-P2", "MS-EXO-P1", "ACRONIS-CP" }));

    [Theory]
    [InlineData("kitten", "sitting", false, 3)]
    [InlineData("ab", "ba", false, 1)]
    [InlineData("contosso", "contoso ltd", false, 5)]
    [InlineData("contosso", "contoso ltd", true, 1)]
    public void Distance_counts_inserts_deletes_replacements_and_swaps(string a, string b, bool prefix, int expected)
        => Assert.Equal(expected, Suggestions.Distance(a, b, prefix));

    [Fact]
    public void At_most_five_are_named()
        => Assert.Equal(5, Suggestions.Nearest("Shop", new[] { "Shop 1", "Shop 2", "Shop 3", "Shop 4", "Shop 5", "Shop 6" }).Count);
}

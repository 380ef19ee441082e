using HaloSync.Engine.State;

namespace HaloSync.Engine.Tests.State;

public sealed class SqlLikeTests
{
    [Theory]
    [InlineData("Contoso*", "Contoso%")]
    [InlineData("*Ltd", "%Ltd")]
    [InlineData("C?ntoso", "C_ntoso")]
    [InlineData("100% Tech_Co", @"100\% Tech\_Co")]
    [InlineData("A`*B", "A*B")]
    [InlineData(@"back\slash", @"back\\slash")]
    [InlineData("  Contoso Ltd  ", "Contoso Ltd")]
    public void PowerShell_wildcards_become_LIKE_patterns(string wildcard, string like)
        => Assert.Equal(like, SqlLike.FromWildcard(wildcard));

    [Theory]
    [InlineData("[CF]ontoso")]
    [InlineData("Société*")]
    public void Wildcards_LIKE_cannot_match_exactly_are_left_to_PowerShell(string wildcard)
        => Assert.Null(SqlLike.FromWildcard(wildcard));
}

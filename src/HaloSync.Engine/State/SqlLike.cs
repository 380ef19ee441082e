using System.Text;

namespace HaloSync.Engine.State;

/// <summary>PowerShell wildcards (* and ?, ` to escape) as SQLite LIKE patterns (escape character \), so the state database filters.</summary>
public static class SqlLike
{
    public const char Escape = '\\';

    /// <summary>
    /// The LIKE pattern for a wildcard, or null when SQLite cannot match it the way PowerShell does: a [set], or letters
    /// outside ASCII (LIKE ignores case for ASCII letters only). The caller then filters in memory.
    /// </summary>
    public static string? FromWildcard(string wildcard)
    {
        var like = new StringBuilder();
        var text = wildcard.Trim();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c > 127 || c == '[' || c == ']')
            {
                return null;
            }

            switch (c)
            {
                case '`' when i + 1 < text.Length:
                    Literal(like, text[++i]);
                    break;
                case '*':
                    like.Append('%');
                    break;
                case '?':
                    like.Append('_');
                    break;
                default:
                    Literal(like, c);
                    break;
            }
        }

        return like.ToString();
    }

    private static void Literal(StringBuilder like, char c)
    {
        if (c is '%' or '_' or Escape)
        {
            like.Append(Escape);
        }

        like.Append(c);
    }
}

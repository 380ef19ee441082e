using System;
using System.Globalization;

namespace HaloSync.Engine.Mapping;

/// <summary>
/// Reads cells as spreadsheets write them. PowerShell's own binder would read '#3010' as hexadecimal and
/// refuse 'yes' for a [bool], so spreadsheet columns arrive as text and are parsed here, strictly.
/// </summary>
public static class SpreadsheetValue
{
    /// <summary>A positive whole number in plain decimal digits (surrounding spaces allowed), or null for an empty cell.</summary>
    public static int? ParseId(object? value, string column)
    {
        var text = Text(value);
        if (text.Length == 0)
        {
            return null;
        }

        if (text.Length <= 9 && IsDigits(text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
        {
            return id;
        }

        throw new HaloSyncException("InvalidId", HaloSyncErrorKind.InvalidArgument,
            $"{column} '{text}' is not an id: use the number HaloPSA shows (digits only, for example 42).");
    }

    /// <summary>yes/no, true/false, 1/0, on/off, y/n (any case), or null for an empty cell.</summary>
    public static bool? ParseSwitch(object? value, string column)
    {
        if (value is bool flag)
        {
            return flag;
        }

        switch (Text(value).ToLowerInvariant())
        {
            case "":
                return null;
            case "yes": case "y": case "true": case "1": case "on": case "$true":
                return true;
            case "no": case "n": case "false": case "0": case "off": case "$false":
                return false;
            default:
                throw new HaloSyncException("InvalidSwitchValue", HaloSyncErrorKind.InvalidArgument,
                    $"{column} '{Text(value)}' is not yes or no: use yes/no, true/false or 1/0.");
        }
    }

    public static string Text(object? value)
        => value switch
        {
            null => string.Empty,
            string s => s.Trim(),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture).Trim(),
            _ => value.ToString()?.Trim() ?? string.Empty,
        };

    private static bool IsDigits(string text)
    {
        foreach (var c in text)
        {
            if (c < '0' || c > '9')
            {
                return false;
            }
        }

        return true;
    }
}

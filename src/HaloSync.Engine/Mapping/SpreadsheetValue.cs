using System;
using System.Collections.Generic;
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

    /// <summary>
    /// yes/no, true/false, 1/0, on/off, y/n (any case), the TRUE/FALSE Excel writes in other languages (VRAI/FAUX,
    /// WAHR/FALSCH, WAAR/ONWAAR, VERDADERO/FALSO, VERO/FALSO, VERDADEIRO/FALSO, SANT/FALSKT, SAND/FALSK, SANN/USANN,
    /// TOSI/EPÄTOSI, PRAWDA/FAŁSZ) and their yes/no words, or null for an empty cell.
    /// </summary>
    public static bool? ParseSwitch(object? value, string column)
    {
        if (value is bool flag)
        {
            return flag;
        }

        var text = Text(value).ToLowerInvariant();
        if (text.Length == 0)
        {
            return null;
        }

        if (BooleanTrue.Contains(text) || YesWords.Contains(text))
        {
            return true;
        }

        if (BooleanFalse.Contains(text) || NoWords.Contains(text))
        {
            return false;
        }

        throw new HaloSyncException("InvalidSwitchValue", HaloSyncErrorKind.InvalidArgument,
            $"{column} '{Text(value)}' is not yes or no: use yes/no, true/false or 1/0 (Excel's TRUE and FALSE in its other languages, such as VRAI/FAUX or WAHR/FALSCH, are read too).");
    }

    /// <summary>
    /// Whether the cell holds a boolean as PowerShell or Excel writes one (True/False, or Excel's word for it in another
    /// language) rather than a word a person types (yes, no, on, off, 1, 0): a listing's exported False is the former.
    /// </summary>
    public static bool IsBooleanWord(object? value)
        => value is bool || Text(value).ToLowerInvariant() is var text && (BooleanTrue.Contains(text) || BooleanFalse.Contains(text));

    private static readonly HashSet<string> BooleanTrue = new(StringComparer.Ordinal) { "true", "$true", "vrai", "wahr", "waar", "verdadero", "vero", "verdadeiro", "sant", "sand", "sann", "tosi", "prawda" };

    private static readonly HashSet<string> BooleanFalse = new(StringComparer.Ordinal) { "false", "$false", "faux", "falsch", "onwaar", "falso", "falskt", "falsk", "usann", "epätosi", "fałsz" };

    private static readonly HashSet<string> YesWords = new(StringComparer.Ordinal) { "yes", "y", "1", "on", "oui", "ja", "sí", "si" };

    private static readonly HashSet<string> NoWords = new(StringComparer.Ordinal) { "no", "n", "0", "off", "non", "nein", "nee" };

    /// <summary>Manual or Automatic (any case), or null for an empty cell: how a mapping in an exported list was made.</summary>
    public static MappingSource? ParseSource(object? value, string column)
    {
        var text = Text(value);
        if (text.Length == 0)
        {
            return null;
        }

        foreach (MappingSource source in Enum.GetValues(typeof(MappingSource)))
        {
            if (string.Equals(text, source.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                return source;
            }
        }

        throw new HaloSyncException("InvalidMappingSource", HaloSyncErrorKind.InvalidArgument,
            $"{column} '{text}' is not Manual or Automatic: leave it empty, or keep the value Get-HaloProductMapping exported.");
    }

    /// <summary>
    /// A whole number given as a number or as text ("15", " 15 ", 15, 15.0), or null when it is not one (15.5, "15.5",
    /// "#15", "fifteen"): PowerShell would round 15.5 to 16 on its way into an [int] parameter.
    /// </summary>
    public static int? WholeNumber(object? value)
    {
        switch (value)
        {
            case int i:
                return i;
            case long or short or byte or sbyte or uint or ushort or ulong:
                return decimal.TryParse(Text(value), NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer) && integer >= int.MinValue && integer <= int.MaxValue
                    ? (int)integer
                    : null;
            case double or float:
                var real = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                return Math.Floor(real) == real && real >= int.MinValue && real <= int.MaxValue ? (int)real : null;
            case decimal number:
                return decimal.Truncate(number) == number && number >= int.MinValue && number <= int.MaxValue ? (int)number : null;
            default:
                var text = Text(value);
                return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
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

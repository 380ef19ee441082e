using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using HaloSync.Engine;

namespace HaloSync;

/// <summary>
/// The cmdlets that take spreadsheet rows from the pipeline. A row without the column that names what it is about
/// (most often a semicolon file read without -Delimiter ';', whose rows have one column) is reported once for all such
/// rows, with the fix, instead of PowerShell's binding error once per row; two rows about the same thing are a warning.
/// </summary>
public abstract class SpreadsheetCmdlet : MappingCmdlet
{
    private static readonly (char Delimiter, string Fix)[] Delimiters =
    {
        (';', "Import-Csv -Delimiter ';'"),
        ('\t', "Import-Csv -Delimiter \"`t\""),
        ('|', "Import-Csv -Delimiter '|'"),
        (',', "Import-Csv without -Delimiter (a comma is its default)"),
    };

    private readonly List<int> rowsWithoutKey = new();
    private readonly Dictionary<string, (int Row, string What)> rowsSeen = new(StringComparer.OrdinalIgnoreCase);
    private PSObject? firstRowWithoutKey;

    /// <summary>
    /// <para type="description">A row piped in, as a whole. Only used to recognise rows that lack the columns this command needs; the columns bind to the other parameters by name.</para>
    /// </summary>
    [Parameter(ValueFromPipeline = true, DontShow = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>The parameters a row must bind (from a column or the command line) to be about anything.</summary>
    protected abstract IReadOnlyList<string> KeyParameters { get; }

    protected override bool AcceptRow()
    {
        if (!MyInvocation.ExpectingInput)
        {
            return true;
        }

        if (Row == 1)
        {
            WarnOfColumnsThatDoNotBind();
        }

        if (IsBlank(InputObject))
        {
            WriteVerbose($"Row {Row} is empty: skipped.");
            return false;
        }

        if (KeyParameters.All(MyInvocation.BoundParameters.ContainsKey))
        {
            return true;
        }

        rowsWithoutKey.Add(Row);
        firstRowWithoutKey ??= InputObject;
        return false;
    }

    /// <summary>A spreadsheet row whose every cell is empty (Excel writes ";;;" for a formatted empty row): nothing to do, no error.</summary>
    private static bool IsBlank(PSObject? row)
        => row?.BaseObject is PSCustomObject && row.Properties.Any()
           && row.Properties.All(p => p.Value is null || (p.Value is string text && string.IsNullOrWhiteSpace(text)));

    /// <summary>
    /// A column named like a parameter but for spaces around its name or a non-breaking space (Excel leaves both) does not
    /// bind, and its cells would be ignored without a word: said once, with the name that binds.
    /// </summary>
    private void WarnOfColumnsThatDoNotBind()
    {
        var names = MyInvocation.MyCommand.Parameters.Values.Where(p => p.Attributes.OfType<ParameterAttribute>().Any(a => a.ValueFromPipelineByPropertyName))
            .SelectMany(p => new[] { p.Name }.Concat(p.Aliases)).ToList();
        foreach (var column in Columns(InputObject))
        {
            var plain = string.Join(" ", column.Replace('\u00A0', ' ').Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries));
            var meant = names.FirstOrDefault(n => string.Equals(n, plain, StringComparison.OrdinalIgnoreCase));
            if (meant is not null && !names.Contains(column, StringComparer.OrdinalIgnoreCase))
            {
                WriteWarning($"The column '{column}' is not read: its name has a space before or after it, or a non-breaking space. Rename it '{meant}' so it binds.");
            }
        }
    }

    /// <summary>Warns when an earlier row of this pipeline was about the same thing (the later row wins).</summary>
    /// <param name="key">What the row is about, normalised (a SKU, an organization id).</param>
    /// <param name="subject">How the warning names it.</param>
    /// <param name="what">How the warning names the row's change.</param>
    protected void NoteRow(string key, string subject, string what)
    {
        if (!MyInvocation.ExpectingInput)
        {
            return;
        }

        if (rowsSeen.TryGetValue(key, out var earlier))
        {
            WriteWarning($"Rows {earlier.Row} and {Row} are both about {subject}: row {earlier.Row} {earlier.What}, row {Row} {what}. The later row wins.");
        }

        rowsSeen[key] = (Row, what);
    }

    protected override void EndProcessing()
    {
        if (rowsWithoutKey.Count > 0)
        {
            var error = new HaloSyncException(Mismatch() is null ? "MissingColumn" : "CsvDelimiterMismatch", HaloSyncErrorKind.InvalidData, Explain());
            WriteError(ToErrorRecord(error, firstRowWithoutKey));
        }

        base.EndProcessing();
    }

    private string Explain()
    {
        var columns = Columns(firstRowWithoutKey);
        var rows = Rows(rowsWithoutKey);
        var none = rowsWithoutKey.Count == 1 ? "It was not" : "None of them was";
        if (Mismatch() is { } found)
        {
            return $"{rows} came with a single column named '{columns[0]}': the file is separated by {Shown(found.Delimiter)} but was read with " +
                $"another delimiter. Read it with {found.Fix}. {none} processed.";
        }

        var missing = KeyParameters.Where(p => !MyInvocation.BoundParameters.ContainsKey(p)).Select(Described);
        var has = columns.Count == 0 ? "no columns" : "the columns " + string.Join(", ", columns.Select(c => $"'{c}'"));
        return $"{rows} had {has}, and nothing for {string.Join(" or ", missing)}. Name the spreadsheet's columns so they bind. {none} processed.";
    }

    /// <summary>A single column whose name holds another delimiter: the header line was not split.</summary>
    private (char Delimiter, string Fix)? Mismatch()
    {
        var columns = Columns(firstRowWithoutKey);
        if (columns.Count != 1)
        {
            return null;
        }

        foreach (var candidate in Delimiters)
        {
            if (columns[0].IndexOf(candidate.Delimiter) >= 0)
            {
                return candidate;
            }
        }

        return null;
    }

    private string Described(string parameter)
    {
        var aliases = MyInvocation.MyCommand.Parameters.TryGetValue(parameter, out var metadata) ? metadata.Aliases : new System.Collections.ObjectModel.Collection<string>();
        return $"-{parameter} (a column named {string.Join(", ", new[] { parameter }.Concat(aliases).Select(a => $"'{a}'"))})";
    }

    /// <summary>"Row 4", or "3 rows (2, 5, 9)", shortened past five rows.</summary>
    protected static string Rows(IReadOnlyList<int> rows)
        => rows.Count == 1 ? $"Row {rows[0]}"
            : $"{rows.Count} rows ({(rows.Count <= 5 ? string.Join(", ", rows) : string.Join(", ", rows.Take(3)) + $" ... {rows.Last()}")})";

    private static List<string> Columns(PSObject? row)
        => row is null || row.BaseObject is string || row.BaseObject.GetType().IsPrimitive
            ? new List<string>()
            : row.Properties.Select(p => p.Name).ToList();

    private static string Shown(char delimiter) => delimiter == '\t' ? "tabs" : $"'{delimiter}'";
}

using System;
using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace HaloSync;

/// <summary>
/// Reads a date given as text the same way in every culture. PowerShell converts text to a [DateTime] parameter with
/// the current culture, so '05/11/2026' would be 11 May in Montreal and 5 November in Paris, and '2026-11-05' a date
/// in 1483 under a Buddhist calendar. Text must be ISO 8601 (2026-11-05, with a time, or 2026-11 for a month); a
/// [datetime] passes through as it is.
/// </summary>
internal sealed class InvariantDateAttribute : ArgumentTransformationAttribute
{
    private static readonly Regex IsoDate = new(@"^\d{4}-\d{1,2}(-\d{1,2})?([ T]\d{1,2}:\d{2}.*)?$", RegexOptions.CultureInvariant);

    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is not string text)
        {
            return inputData;
        }

        var trimmed = text.Trim();
        if (IsoDate.IsMatch(trimmed) && DateTime.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var date))
        {
            return date;
        }

        throw new ArgumentTransformationMetadataException(
            $"'{text}' is not a date HaloSync reads the same in every culture. Write it as year-month-day, 2026-11-05 " +
            "(with a time: 2026-11-05 14:30), or pass a [datetime] such as (Get-Date -Year 2026 -Month 11 -Day 5).");
    }
}

using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace HaloSync;

/// <summary>Completes -TimeZone from the time zones this machine knows.</summary>
internal sealed class TimeZoneCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var pattern = new WildcardPattern(wordToComplete.Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        return TimeZoneInfo.GetSystemTimeZones()
            .Where(zone => pattern.IsMatch(zone.Id))
            .Select(zone => new CompletionResult("'" + zone.Id.Replace("'", "''") + "'", zone.Id, CompletionResultType.ParameterValue, zone.DisplayName));
    }
}

using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Reflection;

namespace HaloSync;

/// <summary>
/// Completes -TimeZone with the zones this machine knows, by both of their names: the IANA id ('America/Toronto', also
/// found by its city) and the Windows id ('Eastern Standard Time'), whichever the machine lists, since -TimeZone takes both.
/// </summary>
internal sealed class TimeZoneCompleter : IArgumentCompleter
{
    private static readonly Lazy<List<(string Id, string Tooltip)>> Names = new(KnownNames);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var pattern = new WildcardPattern(wordToComplete.Trim('\'', '"') + "*", WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
        return Names.Value
            .Where(name => pattern.IsMatch(name.Id) || pattern.IsMatch(name.Id.Substring(name.Id.LastIndexOf('/') + 1)))
            .Select(name => new CompletionResult("'" + name.Id.Replace("'", "''") + "'", name.Id, CompletionResultType.ParameterValue, name.Tooltip));
    }

    private static List<(string Id, string Tooltip)> KnownNames()
    {
        // .NET 6 and later convert between the two kinds of id; Windows PowerShell 5.1 (.NET Framework) lists Windows ids only.
        var toWindows = Converter("TryConvertIanaIdToWindowsId");
        var toIana = Converter("TryConvertWindowsIdToIanaId");
        var names = new List<(string Id, string Tooltip)>();
        foreach (var zone in TimeZoneInfo.GetSystemTimeZones())
        {
            names.Add((zone.Id, zone.DisplayName));
            var other = zone.Id.Contains("/") ? toWindows(zone.Id) : toIana(zone.Id);
            if (other is not null)
            {
                names.Add((other, $"{zone.DisplayName} ({zone.Id})"));
            }
        }

        return names.GroupBy(n => n.Id, StringComparer.OrdinalIgnoreCase).Select(g => g.First()).OrderBy(n => n.Id, StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static Func<string, string?> Converter(string name)
    {
        var method = typeof(TimeZoneInfo).GetMethod(name, BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string), typeof(string).MakeByRefType() }, null);
        return id =>
        {
            if (method is null)
            {
                return null;
            }

            try
            {
                var arguments = new object?[] { id, null };
                return method.Invoke(null, arguments) is true ? arguments[1] as string : null;
            }
            catch (TargetInvocationException)
            {
                return null; // no time zone data to convert with: the machine's own names still complete
            }
        };
    }
}

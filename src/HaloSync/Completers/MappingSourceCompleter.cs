using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using HaloSync.Engine.Mapping;

namespace HaloSync;

/// <summary>Completes -Source with Manual and Automatic (a text parameter, so a spreadsheet cell binds and gets a row error when wrong).</summary>
internal sealed class MappingSourceCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
        => Enum.GetNames(typeof(MappingSource))
            .Where(name => name.StartsWith(wordToComplete.Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
            .Select(name => new CompletionResult(name, name, CompletionResultType.ParameterValue, name));
}

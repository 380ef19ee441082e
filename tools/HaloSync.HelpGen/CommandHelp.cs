using System.Collections.Generic;

namespace HaloSync.HelpGen;

internal sealed class CommandHelp
{
    public required string SourceFile { get; init; }
    public string Name { get; set; } = string.Empty;
    public string Synopsis { get; set; } = string.Empty;
    public string Description { get; set; } = string.Empty;
    public string Notes { get; set; } = string.Empty;
    public string? OnlineUri { get; set; }
    public List<ExampleHelp> Examples { get; } = new();
    public List<ParameterHelp> Parameters { get; } = new();
    public List<TypeHelp> Inputs { get; } = new();
    public List<TypeHelp> Outputs { get; } = new();

    public IEnumerable<string> Problems()
    {
        if (Name.Length == 0) yield return "no '# <Cmdlet-Name>' title";
        if (Synopsis.Length == 0) yield return "no SYNOPSIS";
        if (Description.Length == 0) yield return "no DESCRIPTION";
        if (Examples.Count == 0) yield return "no EXAMPLES";
        foreach (var parameter in Parameters)
        {
            if (parameter.Description.Length == 0) yield return $"parameter -{parameter.Name} has no description";
        }
    }
}

internal sealed record ExampleHelp(string Title, string Code, string Remarks);

internal sealed record TypeHelp(string Name, string Description);

internal sealed class ParameterHelp
{
    public string Name { get; set; } = string.Empty;
    public string Description { get; set; } = string.Empty;
    public string Type { get; set; } = "Object";
    public List<string> ParameterSets { get; } = new();
    public string Aliases { get; set; } = "none";
    public bool Required { get; set; }
    public string Position { get; set; } = "named";
    public string DefaultValue { get; set; } = "None";
    public string PipelineInput { get; set; } = "False";
    public bool Globbing { get; set; }
    public List<string> AcceptedValues { get; } = new();
}

using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace HaloSync.HelpGen;

/// <summary>Writes MAML (the XML format Get-Help reads for binary cmdlets).</summary>
internal static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static XDocument Write(IEnumerable<CommandHelp> commands)
        => new(new XDeclaration("1.0", "utf-8", null),
            new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
                commands.Select(CommandElement)));

    private static XElement CommandElement(CommandHelp help)
    {
        var dash = help.Name.IndexOf('-');
        return new XElement(Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XElement(Command + "details",
                new XElement(Command + "name", help.Name),
                new XElement(Command + "verb", help.Name.Substring(0, dash)),
                new XElement(Command + "noun", help.Name.Substring(dash + 1)),
                Description(help.Synopsis)),
            Description(help.Description),
            new XElement(Command + "syntax", SyntaxItems(help)),
            new XElement(Command + "parameters", help.Parameters.Select(Parameter)),
            new XElement(Command + "inputTypes", help.Inputs.Select(t => TypeElement("inputType", t))),
            new XElement(Command + "returnValues", help.Outputs.Select(t => TypeElement("returnValue", t))),
            new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paragraphs(help.Notes))),
            new XElement(Command + "examples", help.Examples.Select(Example)),
            new XElement(Command + "relatedLinks", help.OnlineUri is null ? null :
                new XElement(Maml + "navigationLink",
                    new XElement(Maml + "linkText", "Online Version:"),
                    new XElement(Maml + "uri", help.OnlineUri))));
    }

    private static IEnumerable<XElement> SyntaxItems(CommandHelp help)
    {
        var named = help.Parameters.SelectMany(p => p.ParameterSets).Where(s => s != "(All)").Distinct().ToList();
        var sets = named.Count == 0 ? new List<string> { "(All)" } : named;
        foreach (var set in sets)
        {
            var members = help.Parameters.Where(p => p.ParameterSets.Count == 0 || p.ParameterSets.Contains("(All)") || p.ParameterSets.Contains(set));
            yield return new XElement(Command + "syntaxItem",
                new XElement(Maml + "name", help.Name),
                members.Select(Parameter));
        }
    }

    private static XElement Parameter(ParameterHelp parameter)
    {
        var isSwitch = parameter.Type == "SwitchParameter";
        return new XElement(Command + "parameter",
            new XAttribute("required", parameter.Required ? "true" : "false"),
            new XAttribute("variableLength", "true"),
            new XAttribute("globbing", parameter.Globbing ? "true" : "false"),
            new XAttribute("pipelineInput", parameter.PipelineInput),
            new XAttribute("position", parameter.Position),
            new XAttribute("aliases", parameter.Aliases),
            new XElement(Maml + "name", parameter.Name),
            Description(parameter.Description),
            parameter.AcceptedValues.Count == 0 ? null :
                new XElement(Command + "parameterValueGroup",
                    parameter.AcceptedValues.Select(v => new XElement(Command + "parameterValue",
                        new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v))),
            isSwitch ? null : new XElement(Command + "parameterValue",
                new XAttribute("required", "true"), new XAttribute("variableLength", "false"), parameter.Type),
            new XElement(Dev + "type", new XElement(Maml + "name", parameter.Type), new XElement(Maml + "uri")),
            new XElement(Dev + "defaultValue", parameter.DefaultValue));
    }

    private static XElement TypeElement(string element, TypeHelp type)
        => new(Command + element,
            new XElement(Dev + "type", new XElement(Maml + "name", type.Name)),
            Description(type.Description));

    private static XElement Example(ExampleHelp example)
        => new(Command + "example",
            new XElement(Maml + "title", $"-------------------------- {example.Title} --------------------------"),
            new XElement(Dev + "code", example.Code),
            new XElement(Dev + "remarks", Paragraphs(example.Remarks)));

    private static XElement Description(string text) => new(Maml + "description", Paragraphs(text));

    private static IEnumerable<XElement> Paragraphs(string text)
        => text.Split(new[] { "\n\n" }, System.StringSplitOptions.RemoveEmptyEntries).Select(p => new XElement(Maml + "para", p));
}

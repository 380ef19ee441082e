using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace HaloSync.HelpGen;

/// <summary>Reads one cmdlet's help markdown in the platyPS schema (## sections, ### parameters and examples, yaml blocks).</summary>
internal static class CommandHelpParser
{
    public static CommandHelp Parse(string sourceFile, string markdown)
    {
        var help = new CommandHelp { SourceFile = Path.GetFileName(sourceFile) };
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var index = SkipFrontMatter(lines, help);
        string section = string.Empty;
        string? subsection = null;
        var buffer = new List<string>();

        void Flush()
        {
            Store(help, section, subsection, buffer);
            buffer.Clear();
        }

        for (; index < lines.Length; index++)
        {
            var line = lines[index];
            if (line.StartsWith("# ", StringComparison.Ordinal) && help.Name.Length == 0)
            {
                help.Name = line.Substring(2).Trim();
            }
            else if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                Flush();
                section = line.Substring(3).Trim().ToUpperInvariant();
                subsection = null;
            }
            else if (line.StartsWith("### ", StringComparison.Ordinal))
            {
                Flush();
                subsection = line.Substring(4).Trim();
            }
            else
            {
                buffer.Add(line);
            }
        }

        Flush();
        return help;
    }

    private static int SkipFrontMatter(string[] lines, CommandHelp help)
    {
        if (lines.Length == 0 || lines[0].Trim() != "---")
        {
            return 0;
        }

        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Trim() == "---")
            {
                return i + 1;
            }

            if (lines[i].StartsWith("online version:", StringComparison.OrdinalIgnoreCase))
            {
                var uri = lines[i].Substring("online version:".Length).Trim();
                help.OnlineUri = uri.Length > 0 ? uri : null;
            }
        }

        return lines.Length;
    }

    private static void Store(CommandHelp help, string section, string? subsection, List<string> buffer)
    {
        switch (section)
        {
            case "SYNOPSIS":
                help.Synopsis = Text(buffer);
                break;
            case "DESCRIPTION":
                help.Description = Text(buffer);
                break;
            case "NOTES":
                help.Notes = Text(buffer);
                break;
            case "EXAMPLES" when subsection is not null:
                help.Examples.Add(ParseExample(subsection, buffer));
                break;
            case "PARAMETERS" when subsection is not null && subsection.StartsWith("-", StringComparison.Ordinal):
                help.Parameters.Add(ParseParameter(subsection.Substring(1), buffer));
                break;
            case "INPUTS" when subsection is not null:
                help.Inputs.Add(new TypeHelp(subsection, Text(buffer)));
                break;
            case "OUTPUTS" when subsection is not null:
                help.Outputs.Add(new TypeHelp(subsection, Text(buffer)));
                break;
        }
    }

    private static ExampleHelp ParseExample(string title, List<string> lines)
    {
        var (code, rest) = SplitFence(lines);
        return new ExampleHelp(title, code, Text(rest));
    }

    private static ParameterHelp ParseParameter(string name, List<string> lines)
    {
        var (yaml, rest) = SplitFence(lines);
        var parameter = new ParameterHelp { Name = name, Description = Text(rest) };
        foreach (var row in yaml.Split('\n'))
        {
            var colon = row.IndexOf(':');
            if (colon < 0)
            {
                continue;
            }

            var key = row.Substring(0, colon).Trim();
            var value = row.Substring(colon + 1).Trim();
            switch (key)
            {
                case "Type": parameter.Type = value; break;
                case "Parameter Sets": parameter.ParameterSets.AddRange(value.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0)); break;
                case "Aliases": parameter.Aliases = value.Length == 0 ? "none" : value; break;
                case "Required": parameter.Required = value.StartsWith("True", StringComparison.OrdinalIgnoreCase); break;
                case "Position": parameter.Position = value.Equals("Named", StringComparison.OrdinalIgnoreCase) ? "named" : value; break;
                case "Default value": parameter.DefaultValue = value.Length == 0 ? "None" : value; break;
                case "Accept pipeline input": parameter.PipelineInput = value; break;
                case "Accept wildcard characters": parameter.Globbing = value.StartsWith("True", StringComparison.OrdinalIgnoreCase); break;
                case "Accepted values": parameter.AcceptedValues.AddRange(value.Split(',').Select(s => s.Trim())); break;
            }
        }

        return parameter;
    }

    /// <summary>Separates the first fenced block (code or yaml) from the prose around it.</summary>
    private static (string Fenced, List<string> Prose) SplitFence(List<string> lines)
    {
        var fenced = new StringBuilder();
        var prose = new List<string>();
        var state = 0; // 0 before, 1 inside, 2 after the first fence
        foreach (var line in lines)
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal) && state < 2)
            {
                state++;
                continue;
            }

            if (state == 1)
            {
                fenced.Append(line).Append('\n');
            }
            else
            {
                prose.Add(line);
            }
        }

        return (fenced.ToString().TrimEnd('\n'), prose);
    }

    /// <summary>Joins lines into paragraphs separated by blank lines.</summary>
    internal static string Text(IEnumerable<string> lines)
        => string.Join("\n\n", Paragraphs(lines));

    internal static IEnumerable<string> Paragraphs(IEnumerable<string> lines)
    {
        var current = new List<string>();
        foreach (var line in lines)
        {
            if (line.Trim().Length == 0)
            {
                if (current.Count > 0)
                {
                    yield return string.Join(" ", current);
                    current.Clear();
                }
            }
            else
            {
                current.Add(line.Trim());
            }
        }

        if (current.Count > 0)
        {
            yield return string.Join(" ", current);
        }
    }
}

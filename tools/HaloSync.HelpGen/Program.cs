using System;
using System.IO;
using System.Linq;
using HaloSync.HelpGen;

// Usage: HaloSync.HelpGen <markdown folder> <output MAML file>
if (args.Length != 2)
{
    Console.Error.WriteLine("Usage: HaloSync.HelpGen <docs/en-US folder> <output HaloSync.dll-Help.xml>");
    return 2;
}

var files = Directory.GetFiles(args[0], "*-*.md").OrderBy(f => f, StringComparer.Ordinal).ToList();
var commands = files.Select(file => CommandHelpParser.Parse(file, File.ReadAllText(file))).ToList();
var problems = commands.SelectMany(command => command.Problems().Select(problem => $"{command.SourceFile}: {problem}")).ToList();
if (problems.Count > 0)
{
    foreach (var problem in problems)
    {
        Console.Error.WriteLine("error: " + problem);
    }

    return 1;
}

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(args[1]))!);
MamlWriter.Write(commands).Save(args[1]);
Console.WriteLine($"Wrote help for {commands.Count} cmdlets to {args[1]}");
return 0;

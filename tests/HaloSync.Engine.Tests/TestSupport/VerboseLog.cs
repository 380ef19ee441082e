using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;

namespace HaloSync.Engine.Tests.TestSupport;

public sealed class VerboseLog
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyList<string> Lines => lines.ToList();

    public string Text => string.Join("\n", lines);

    public void Write(string line) => lines.Enqueue(line);
}

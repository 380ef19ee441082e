using System.Collections.Generic;
using System.Linq;

namespace HaloSync.Simulators.Common;

/// <summary>Queue of pending faults. Each request consumes one use of the first rule that matches it.</summary>
public sealed class FaultInjector
{
    private readonly List<FaultRule> pending = new();

    public void Enqueue(FaultRule rule)
    {
        lock (pending) { pending.Add(rule); }
    }

    public IReadOnlyList<FaultRule> Pending
    {
        get { lock (pending) { return pending.ToList(); } }
    }

    public void Clear()
    {
        lock (pending) { pending.Clear(); }
    }

    public FaultRule? TryTake(string method, string path)
    {
        lock (pending)
        {
            var rule = pending.FirstOrDefault(r => r.Matches(method, path));
            if (rule is null)
            {
                return null;
            }

            if (--rule.Times <= 0)
            {
                pending.Remove(rule);
            }

            return rule;
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace HaloSync.Simulators.Common;

/// <summary>Thread-safe list of the requests a simulator received (control-surface calls excluded).</summary>
public sealed class RequestLog
{
    private static readonly Regex SecretFormField = new(@"((?:^|&)(?:client_secret|password|refresh_token)=)[^&]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private readonly List<RecordedRequest> entries = new();
    private long sequence;

    public int Count
    {
        get { lock (entries) { return entries.Count; } }
    }

    public RecordedRequest Add(DateTimeOffset receivedAt, string method, string path, string query, string body, bool hadAuthorization)
    {
        lock (entries)
        {
            var entry = new RecordedRequest(++sequence, receivedAt, method, path, query, SecretFormField.Replace(body, "$1***"), hadAuthorization);
            entries.Add(entry);
            return entry;
        }
    }

    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (entries) { return entries.ToList(); }
    }

    /// <summary>Requests whose path contains <paramref name="pathFragment"/> (case-insensitive), optionally of one method.</summary>
    public IReadOnlyList<RecordedRequest> Matching(string pathFragment, string? method = null) =>
        Snapshot().Where(r => r.Path.IndexOf(pathFragment, StringComparison.OrdinalIgnoreCase) >= 0
                              && (method is null || string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase)))
            .ToList();

    public void Clear()
    {
        lock (entries) { entries.Clear(); }
    }
}

using System;

namespace HaloSync.Simulators.Common;

/// <summary>One request the simulator received. Secret form fields (client_secret...) are masked in <see cref="Body"/>.</summary>
public sealed class RecordedRequest
{
    public RecordedRequest(long sequence, DateTimeOffset receivedAt, string method, string path, string query, string body, bool hadAuthorization)
    {
        Sequence = sequence;
        ReceivedAt = receivedAt;
        Method = method;
        Path = path;
        Query = query;
        Body = body;
        HadAuthorization = hadAuthorization;
    }

    public long Sequence { get; }

    public DateTimeOffset ReceivedAt { get; }

    public string Method { get; }

    public string Path { get; }

    /// <summary>The query string including the leading '?', or empty.</summary>
    public string Query { get; }

    public string Body { get; }

    public bool HadAuthorization { get; }

    /// <summary>Status sent back; 0 when the connection was dropped or the answer is still being written.</summary>
    public int StatusCode { get; internal set; }

    public override string ToString() => $"{Method} {Path}{Query} -> {StatusCode}";
}

namespace HaloSync.Engine.Sync;

/// <summary>Where a run is: a phase, and within it how far (percent, -1 when unknown).</summary>
public sealed record SyncProgress(string Phase, string Status, int Percent);

namespace HaloSync.Simulators.Common;

public sealed class SimulatorHostOptions
{
    /// <summary>Kestrel address; port 0 picks a free port, read it back from <see cref="SimulatorHost.BaseAddress"/>.</summary>
    public string Url { get; set; } = "http://127.0.0.1:0";

    /// <summary>Path prefix of the control surface (seed, state, requests, faults, clock).</summary>
    public string ControlPrefix { get; set; } = "/_sim";

    /// <summary>Shared clock; a new one starting at the real time when null.</summary>
    public SimulatedClock? Clock { get; set; }
}

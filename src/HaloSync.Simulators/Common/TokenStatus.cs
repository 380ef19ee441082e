namespace HaloSync.Simulators.Common;

public enum TokenStatus
{
    Valid,
    Missing,
    Unknown,
    Expired,
    Revoked,
}

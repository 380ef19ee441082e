using System;

namespace HaloSync.Simulators.HaloPsa;

/// <summary>Raised inside the simulator to answer with an error status and Halo's .NET-exception body shape.</summary>
internal sealed class HaloApiException : Exception
{
    public HaloApiException(int statusCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
    }

    public int StatusCode { get; }

    public static HaloApiException Validation(string message) => new(400, message);

    public static HaloApiException NotFound(string what) => new(404, what + " not found");
}

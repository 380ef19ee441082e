using System.Net;
using System.Net.Sockets;

namespace HaloSync.Engine.Tests.TestSupport;

public static class ClosedPort
{
    /// <summary>A loopback port nothing listens on, so connecting is refused.</summary>
    public static int Find()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace HaloSync.Engine.Tests.TestSupport;

/// <summary>Runs an action after each answer arrives, e.g. to let the client's clock pass a token's expiry mid-request.</summary>
public sealed class AfterResponseHandler : DelegatingHandler
{
    private readonly Action<HttpResponseMessage> afterResponse;

    public AfterResponseHandler(Action<HttpResponseMessage> afterResponse)
        : base(new SocketsHttpHandler())
    {
        this.afterResponse = afterResponse;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        afterResponse(response);
        return response;
    }
}

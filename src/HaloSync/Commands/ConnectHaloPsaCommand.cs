using System;
using System.Management.Automation;
using System.Net;
using System.Security;
using HaloSync.Engine;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.State;

namespace HaloSync.Commands;

/// <summary>
/// <para type="synopsis">Connects this PowerShell session to HaloPSA with an API application's client id and secret.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "HaloPsa", DefaultParameterSetName = CredentialSet)]
[OutputType(typeof(HaloPsaConnection))]
public sealed class ConnectHaloPsaCommand : HaloSyncCmdlet
{
    private const string CredentialSet = "Credential";
    private const string ClientSecretSet = "ClientSecret";

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Site { get; set; } = string.Empty;

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = CredentialSet)]
    [Credential]
    public PSCredential Credential { get; set; } = PSCredential.Empty;

    [Parameter(Mandatory = true, ParameterSetName = ClientSecretSet)]
    [ValidateNotNullOrEmpty]
    public string ClientId { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ParameterSetName = ClientSecretSet)]
    public SecureString ClientSecret { get; set; } = new();

    [Parameter]
    public string? Tenant { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Scope { get; set; } = "all";

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        var (clientId, secret) = ParameterSetName == CredentialSet
            ? (Credential.UserName, Credential.GetNetworkCredential().Password)
            : (ClientId, new NetworkCredential(string.Empty, ClientSecret).Password);
        if (string.IsNullOrWhiteSpace(clientId) || string.IsNullOrEmpty(secret))
        {
            ThrowEngineError(new HaloSyncException("HaloCredentialIncomplete", HaloSyncErrorKind.InvalidArgument,
                "Give the HaloPSA application's client id as the user name and its secret as the password " +
                "(HaloPSA: Configuration > Integrations > HaloPSA API > View Applications)."), Site);
        }

        var credentials = new HaloPsaCredentials(Site, clientId.Trim(), secret, Tenant, Scope);

        // The session keeps a client with the patient retry policy that unattended syncs need; checking the connection
        // fails fast (a wrong address should not wait minutes of back-off). Both count in one pacer, since HaloPSA
        // counts their requests in one window.
        var client = CallEngine(() => HaloPsaClient.Create(credentials, new HaloPsaClientOptions { Verbose = ModuleSession.Current.Verbose }), Site);
        var check = new HaloPsaClientOptions
        {
            Verbose = PostVerbose, MaxAttempts = ConnectAttempts, BaseDelay = ConnectBaseDelay, RateLimitBudget = ConnectRateLimitBudget,
            Pacer = client.Pacer,
        };
        var statePath = ResolvedStatePath;
        try
        {
            RunEngine(async token =>
            {
                using var probe = await HaloPsaClient.ConnectAsync(credentials, check, token).ConfigureAwait(false);
                return probe.RequestsSent;
            }, Site);
            WithState(store => store.SaveConnection(new ConnectionRecord("HaloPSA", client.Site.ToString(), client.ClientId, client.Tenant, credentials.Scope)));
        }
        catch
        {
            client.Dispose();
            throw;
        }

        var session = ModuleSession.Current;
        session.HaloPsa?.Client.Dispose();
        session.HaloPsa = new HaloPsaConnection(client, credentials.Scope, statePath);
        if (StatePath is not null)
        {
            session.StatePath = statePath;
        }

        WriteVerbose($"Connected to {client.Site} as {client.ClientId}.");
        if (PassThru)
        {
            WriteObject(session.HaloPsa);
        }
    }
}

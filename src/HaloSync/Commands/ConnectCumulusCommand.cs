using System;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security;
using HaloSync.Engine.Cumulus;
using HaloSync.Engine.Mapping;
using HaloSync.Engine.State;

namespace HaloSync.Commands;

/// <summary>
/// <para type="synopsis">Connects this PowerShell session to Sherweb's Partner APIs (Cumulus).</para>
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "Cumulus")]
[OutputType(typeof(CumulusConnection))]
public sealed class ConnectCumulusCommand : HaloSyncCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [Credential]
    public PSCredential Credential { get; set; } = PSCredential.Empty;

    [Parameter(Mandatory = true, Position = 1)]
    public SecureString SubscriptionKey { get; set; } = new();

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string ApiBaseUri { get; set; } = CumulusClientOptions.DefaultApiBaseUri;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private CumulusClientOptions Options(int? maxAttempts, TimeSpan? baseDelay)
    {
        var options = new CumulusClientOptions { ApiBaseUri = ApiBaseUri };
        // The connection check writes to this cmdlet; the session's client to whichever cmdlet uses it later.
        options.Http.Verbose = maxAttempts is null ? ModuleSession.Current.Verbose : PostVerbose;
        options.Http.MaxAttempts = maxAttempts ?? options.Http.MaxAttempts;
        options.Http.BaseDelay = baseDelay ?? options.Http.BaseDelay;
        if (maxAttempts is not null)
        {
            options.Http.RateLimitBudget = ConnectRateLimitBudget;
        }

        return options;
    }

    protected override void EndProcessing()
    {
        var key = new NetworkCredential(string.Empty, SubscriptionKey).Password;
        var credentials = CallEngine(() => new CumulusCredentials(Credential.UserName ?? string.Empty, Credential.GetNetworkCredential().Password, key), ApiBaseUri);

        // As Connect-HaloPsa: the check fails fast, the session keeps the patient retry policy.
        var customers = RunEngine(async token =>
        {
            using var probe = new CumulusClient(credentials, Options(ConnectAttempts, ConnectBaseDelay));
            return await probe.ConnectAsync(token).ConfigureAwait(false);
        }, ApiBaseUri);
        var client = CallEngine(() => new CumulusClient(credentials, Options(null, null)), ApiBaseUri);
        try
        {
            var statePath = ResolvedStatePath;
            WithState(store =>
            {
                store.SaveConnection(new ConnectionRecord("Cumulus", client.ApiBaseUri.ToString(), Credential.UserName!.Trim(), null,
                    CumulusClient.ServiceProviderScope + " " + CumulusClient.DistributorScope));
                new MappingRepository(store).RecordSeenOrganizations(
                    customers.Select(c => new System.Collections.Generic.KeyValuePair<string, string>(c.Id.ToString("D"), c.DisplayName)),
                    DateTimeOffset.UtcNow);
            });

            var session = ModuleSession.Current;
            session.Cumulus?.Client.Dispose();
            session.Cumulus = new CumulusConnection(client, Credential.UserName!.Trim(), customers.Count, statePath);
            if (StatePath is not null)
            {
                session.StatePath = statePath;
            }

            WriteVerbose($"Connected to Sherweb {client.ApiBaseUri}: {customers.Count} customers.");
            if (PassThru)
            {
                WriteObject(session.Cumulus);
            }
        }
        catch
        {
            if (ModuleSession.Current.Cumulus?.Client != client)
            {
                client.Dispose();
            }

            throw;
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Tests.TestSupport;
using HaloSync.Simulators.Common;
using HaloSync.Simulators.HaloPsa;

namespace HaloSync.Engine.Tests.HaloPsa;

/// <summary>The client secret and access tokens never reach verbose output, error messages or ToString.</summary>
public sealed class SecretHygieneTests : IAsyncLifetime
{
    private const string Secret = "Sup3r-S3cret-Value-4711";
    private HaloTestBed bed = null!;

    public async Task InitializeAsync()
    {
        bed = await HaloTestBed.StartAsync();
        bed.Simulator.AddApplication("secret-app", Secret, "all");
        bed.Simulator.Store.AddClient(new SimClient { Name = "Contoso" });
    }

    public async Task DisposeAsync() => await bed.DisposeAsync();

    private HaloPsaCredentials Credentials(string secret = Secret) => new(bed.Site, "secret-app", secret);

    private void AssertNothingLeaked(IEnumerable<string> texts)
    {
        var secrets = bed.Simulator.Tokens.Issued.Select(t => t.Value).Append(Secret).ToList();
        foreach (var text in texts)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, text);
            }
        }
    }

    [Fact]
    public async Task A_full_session_with_retries_and_refreshes_leaks_nothing()
    {
        using var client = await bed.ConnectAsync(credentials: Credentials());
        bed.Simulator.Faults.Enqueue(FaultRule.Status(503, pathContains: "/api/Client"));
        bed.Simulator.Tokens.RevokeAll();
        await client.GetClientsAsync();
        bed.Simulator.Faults.Enqueue(FaultRule.Status(500, pathContains: "/api/SoftwareLicence"));
        var unknown = await Assert.ThrowsAnyAsync<HaloSyncException>(() => client.SaveLicencesAsync(new[] { new HaloLicence { ClientId = 1, Name = "x" } }));

        Assert.NotEmpty(bed.Verbose.Lines);
        Assert.Equal(2, bed.Simulator.Tokens.IssuedCount);
        AssertNothingLeaked(bed.Verbose.Lines.Append(unknown.Message).Append(unknown.ToString()).Append(client.ToString()));
    }

    [Fact]
    public async Task Failed_connects_leak_nothing()
    {
        var errors = new List<Exception>
        {
            await Assert.ThrowsAnyAsync<HaloSyncException>(() => bed.ConnectAsync(credentials: Credentials(Secret + "-wrong"))),
            await Assert.ThrowsAnyAsync<HaloSyncException>(() => bed.ConnectAsync(credentials: new HaloPsaCredentials(bed.Site, "secret-app", Secret, scope: "nope"))),
        };
        bed.Simulator.Faults.Enqueue(FaultRule.Status(500, $"{{\"Message\":\"echo {Secret}\"}}", pathContains: "/auth/token", times: 10));
        errors.Add(await Assert.ThrowsAnyAsync<HaloSyncException>(() => bed.ConnectAsync(o => o.MaxAttempts = 2, Credentials())));

        AssertNothingLeaked(bed.Verbose.Lines.Concat(errors.Select(e => e.ToString())).Append(Credentials().ToString()));
    }

    [Fact]
    public void Secret_bearing_objects_hide_secrets_in_to_string()
    {
        var token = new HaloSync.Engine.Http.AccessToken("token-value-123", DateTimeOffset.UtcNow.AddHours(1));

        Assert.DoesNotContain("token-value-123", token.ToString());
        Assert.DoesNotContain(Secret, Credentials().ToString());
        Assert.DoesNotContain(Secret, bed.Simulator.Application("secret-app").ToString());
    }
}

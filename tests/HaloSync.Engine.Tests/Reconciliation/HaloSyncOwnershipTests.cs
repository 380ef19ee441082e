using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Reconciliation;
using HaloSync.Engine.Sync;

namespace HaloSync.Engine.Tests.Reconciliation;

public sealed class HaloSyncOwnershipTests
{
    private const string Key = "sub-9a1e0000-0000-4000-8000-000000000001";

    [Fact]
    public void A_line_is_HaloSyncs_by_its_id_in_the_links_first_and_by_its_marker_second_and_legacy_otherwise()
    {
        var links = new HaloLinks();
        links.Set(12, Key, HaloEntity.InvoiceLine, 501, -3);
        links.Set(12, "sub-other", HaloEntity.SoftwareLicence, 502);
        var ownership = new HaloSyncOwnership(links);

        // Its marker was edited away, but the state kept its id.
        Assert.Equal(Key, ownership.LineKey(12, new HaloInvoiceLine { Id = 501, LongDescription = "Business Premium" }));
        Assert.Equal("chg-h1", ownership.LineKey(12, new HaloInvoiceLine { Id = 777, LongDescription = "Azure [halosync:chg-h1]" }));
        // The same id on another client, and a licence id, are not this line.
        Assert.Null(ownership.LineKey(13, new HaloInvoiceLine { Id = 501, LongDescription = "Business Premium" }));
        Assert.Null(ownership.LineKey(12, new HaloInvoiceLine { Id = 502 }));
    }
}

namespace HaloSync.Engine.Sync;

/// <summary>A subscription as the last successful sync left it in HaloPSA.</summary>
public sealed record SyncedSubscription(string OrganizationId, string SubscriptionId, string Sku, string ProductName, int Quantity, string BillingCycle, decimal? UnitCost, bool Cancelled)
{
    public static string KeyOf(string organizationId, string subscriptionId) => organizationId + "|" + subscriptionId;
}

using System.Collections.Generic;

namespace HaloSync.Simulators.HaloPsa;

/// <summary>Permission names the simulator checks; they match HaloPSA's application scopes.</summary>
public static class HaloPermissions
{
    public const string ReadCustomers = "read:customers";
    public const string EditCustomers = "edit:customers";
    public const string ReadItems = "read:items";
    public const string EditItems = "edit:items";
    public const string ReadInvoices = "read:invoices";
    public const string EditInvoices = "edit:invoices";
    public const string ReadSoftwareLicensing = "read:softwarelicensing";
    public const string EditSoftwareLicensing = "edit:softwarelicensing";

    /// <summary>What HaloSync needs, as the Cumulus setup guide lists it.</summary>
    public static IReadOnlyList<string> HaloSyncSet { get; } = new[]
    {
        ReadCustomers, EditCustomers, ReadItems, EditItems, ReadInvoices, EditInvoices, ReadSoftwareLicensing, EditSoftwareLicensing,
    };

    /// <summary>Scope names a token request may ask for (HaloAPI's validator list).</summary>
    public static IReadOnlyCollection<string> KnownScopes { get; } = new HashSet<string>
    {
        "all", "all:standard", "admin", "read:tickets", "edit:tickets", "read:calendar", "edit:calendar", "read:customers",
        "edit:customers", "read:crm", "edit:crm", "editMine:timesheets", "read:timesheets", "edit:timesheets", "read:contracts",
        "edit:contracts", "read:suppliers", "edit:suppliers", "read:items", "edit:items", "read:projects", "edit:projects",
        "read:sales", "edit:sales", "read:quotes", "edit:quotes", "read:sos", "edit:sos", "read:pos", "edit:pos", "read:invoices",
        "edit:invoices", "read:reporting", "edit:reporting", "read:software", "edit:software", "read:softwarelicensing",
        "edit:softwarelicensing", "read:kb", "edit:kb", "read:assets", "edit:assets", "access:chat", "access:adpasswordreset",
    };

    /// <summary>Halo's docs do not say whether "software" or "softwarelicensing" guards licences, so either grants access.</summary>
    internal static IEnumerable<string> Equivalents(string permission) => permission switch
    {
        ReadSoftwareLicensing => new[] { ReadSoftwareLicensing, "read:software" },
        EditSoftwareLicensing => new[] { EditSoftwareLicensing, "edit:software" },
        _ => new[] { permission },
    };
}

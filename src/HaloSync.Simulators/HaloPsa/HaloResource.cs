namespace HaloSync.Simulators.HaloPsa;

/// <summary>An /api/{Name} endpoint: its entity, list envelope key and the permissions guarding it.</summary>
internal sealed record HaloResource(string Name, EntityKind Kind, string ListKey, string ReadPermission, string EditPermission)
{
    public static HaloResource[] All { get; } =
    {
        new("Client", EntityKind.Client, "clients", HaloPermissions.ReadCustomers, HaloPermissions.EditCustomers),
        new("Item", EntityKind.Item, "items", HaloPermissions.ReadItems, HaloPermissions.EditItems),
        new("SoftwareLicence", EntityKind.Licence, "licences", HaloPermissions.ReadSoftwareLicensing, HaloPermissions.EditSoftwareLicensing),
        new("RecurringInvoice", EntityKind.RecurringInvoice, "invoices", HaloPermissions.ReadInvoices, HaloPermissions.EditInvoices),
        new("Invoice", EntityKind.Invoice, "invoices", HaloPermissions.ReadInvoices, HaloPermissions.EditInvoices),
    };
}

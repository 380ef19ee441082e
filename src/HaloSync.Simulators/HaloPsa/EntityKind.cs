namespace HaloSync.Simulators.HaloPsa;

public enum EntityKind
{
    Client,
    Item,
    Licence,
    RecurringInvoice,

    /// <summary>A real invoice (/api/Invoice), generated from a recurring invoice or posted.</summary>
    Invoice,
}

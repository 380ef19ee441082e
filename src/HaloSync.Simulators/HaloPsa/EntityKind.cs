namespace HaloSync.Simulators.HaloPsa;

public enum EntityKind
{
    Client,
    Item,
    Licence,
    RecurringInvoice,
}

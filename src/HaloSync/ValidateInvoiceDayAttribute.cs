using System.Management.Automation;
using HaloSync.Engine;
using HaloSync.Engine.Configuration;

namespace HaloSync;

/// <summary>Refuses an invoice day outside 1 to 31 at binding time, with the engine's explanation.</summary>
internal sealed class ValidateInvoiceDayAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        try
        {
            SyncConfiguration.ValidateInvoiceDay((int)arguments);
        }
        catch (HaloSyncException ex)
        {
            throw new ValidationMetadataException(ex.Message);
        }
    }
}

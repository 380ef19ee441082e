using System.Management.Automation;
using HaloSync.Engine;
using HaloSync.Engine.Configuration;
using HaloSync.Engine.Mapping;

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

/// <summary>Takes the invoice day as a whole number only: PowerShell would round 15.5 to 16 on its way into an [int].</summary>
internal sealed class WholeDayAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return SpreadsheetValue.WholeNumber(value) ?? throw new ArgumentTransformationMetadataException(
            $"The invoice day {SpreadsheetValue.Text(value)} is not a whole day. Use a day from {SyncConfiguration.FirstInvoiceDay} to {SyncConfiguration.LastInvoiceDay}, such as 15.");
    }
}

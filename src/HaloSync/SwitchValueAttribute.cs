using System.Management.Automation;
using HaloSync.Engine;
using HaloSync.Engine.Mapping;

namespace HaloSync;

/// <summary>
/// One rule for every switch-like parameter: a [bool] parameter takes what a spreadsheet column takes (yes/no,
/// true/false, 1/0, on/off, y/n, $true/$false), and an error that names the value instead of PowerShell's type error.
/// </summary>
internal sealed class SwitchValueAttribute : ArgumentTransformationAttribute
{
    private readonly string parameter;

    public SwitchValueAttribute(string parameter) => this.parameter = parameter;

    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        try
        {
            return SpreadsheetValue.ParseSwitch(inputData is PSObject wrapped ? wrapped.BaseObject : inputData, "-" + parameter)
                ?? throw new HaloSyncException("MissingSwitchValue", HaloSyncErrorKind.InvalidArgument,
                    $"-{parameter} is empty: use yes/no, true/false or 1/0.");
        }
        catch (HaloSyncException ex)
        {
            throw new ArgumentTransformationMetadataException(ex.Message, ex);
        }
    }
}

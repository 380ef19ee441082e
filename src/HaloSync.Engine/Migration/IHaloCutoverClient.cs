using System.Threading;
using System.Threading.Tasks;
using HaloSync.Engine.HaloPsa;

namespace HaloSync.Engine.Migration;

/// <summary>What a cutover needs of HaloPSA: the sync's list reads and array saves, and deleting a recurring invoice. <see cref="HaloPsaClient"/> is the real one.</summary>
public interface IHaloCutoverClient : IHaloBilling
{
    Task DeleteRecurringInvoiceAsync(int id, CancellationToken cancellationToken);
}

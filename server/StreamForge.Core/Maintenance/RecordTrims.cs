using Microsoft.EntityFrameworkCore;
using StreamForge.Core.Data;

namespace StreamForge.Core.Maintenance;

/// <summary>
/// Removes rows that only record the past, so tables written by every upload link and every webhook event do not grow
/// for ever. Each trim is one set-based DELETE, safe to run on any node at any time.
/// </summary>
public sealed class RecordTrims(StreamForgeDbContext db)
{
    /// <summary>
    /// Upload links that expired before <paramref name="expiredBefore"/>. A claimed link is kept while its upload is
    /// still open, because the upload finishes under the link's token after the link itself has expired.
    /// </summary>
    public Task<int> UploadLinksAsync(DateTimeOffset expiredBefore, CancellationToken ct) =>
        db.Set<DirectUpload>()
            .Where(d => d.ExpiresAt < expiredBefore)
            .Where(d => d.VideoId == null || !db.Videos.Any(v => v.Id == d.VideoId
                && (v.Status == VideoStatus.PendingUpload || v.Status == VideoStatus.Uploading)))
            .ExecuteDeleteAsync(ct);

    /// <summary>Finished webhook deliveries (delivered or given up) made before <paramref name="createdBefore"/>; pending ones stay until they end.</summary>
    public Task<int> WebhookDeliveriesAsync(DateTimeOffset createdBefore, CancellationToken ct) =>
        db.Set<WebhookDelivery>()
            .Where(d => d.Status != WebhookDeliveryStatus.Pending && d.CreatedAt < createdBefore)
            .ExecuteDeleteAsync(ct);
}

using Microsoft.EntityFrameworkCore;
using StreamForge.Core.Quota;
using StreamForge.Core.Data;
using StreamForge.Core.Processing;
using StreamForge.Core.Storage;
using StreamForge.Core.Uploads;

namespace StreamForge.Api.Videos;

/// <summary>Hard delete: storage objects, the pending job, the rows, and the quota they held.</summary>
public sealed class VideoRemoval(StreamForgeDbContext db, IStorageGateway storage, IProcessingQueue queue, QuotaLedger quota)
{
    public async Task RemoveAsync(Video video, CancellationToken ct)
    {
        var session = await db.UploadSessions.SingleOrDefaultAsync(s => s.VideoId == video.Id, ct);
        await queue.RemoveAsync(video.Id, ct);
        if (session is { State: UploadState.Active }) await UploadCleanup.DiscardStorageAsync(session, storage, ct);
        await storage.DeleteAsync(video.SourceKey, ct);
        await storage.DeletePrefixAsync(StorageKeys.MediaPrefix(video.Id), ct);
        db.Videos.Remove(video);
        await db.SaveChangesAsync(ct);
        await quota.ReleaseAsync(video.OwnerId, video.SizeBytes, ct);
    }
}

using Microsoft.EntityFrameworkCore;
using StreamForge.Core.Data;
using StreamForge.Core.Events;
using StreamForge.Core.Processing;
using StreamForge.Core.Storage;

namespace StreamForge.Api.Videos;

/// <summary>
/// Puts a finished or failed video back in the processing queue (owner retry, admin requeue). The new round
/// publishes the next media version; a ready video keeps playing its current one until then.
/// </summary>
public sealed class VideoRequeue(StreamForgeDbContext db, IStorageGateway storage, IProcessingQueue queue, IVideoEventPublisher events, TimeProvider clock)
{
    public async Task<bool> RequeueAsync(Video video, CancellationToken ct)
    {
        // Only what completion measured and charged may be processed: an object put under a pending upload's key
        // was never sized against the quota, nor recorded for the worker's If-Match.
        var completed = await db.UploadSessions.AnyAsync(s => s.VideoId == video.Id && s.State == UploadState.Completed, ct);
        if (!completed || await storage.GetSizeAsync(video.SourceKey, ct) is null) return false;
        var now = clock.GetUtcNow();
        video.Status = VideoStatus.Processing;
        video.Progress = 0;
        video.LastError = null;
        video.ProcessingAttempts = 0;
        video.EnqueuedAt = now;
        video.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        await queue.EnqueueAsync(video.Id, ct: ct);
        await events.PublishAsync(new VideoEvent(video.Id, video.OwnerId, video.Status, 0), ct);
        return true;
    }
}

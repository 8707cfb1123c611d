using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using StreamForge.Core.Data;
using StreamForge.Core.Storage;
using StreamForge.Core.Videos;

namespace StreamForge.Core.Uploads;

/// <summary>
/// Ends uploads idle past their sliding expiry through the lifecycle (video failed with a reason, reservation
/// released once), then frees the storage they hold. A complete or abort that wins the race leaves nothing to do.
/// </summary>
public sealed class UploadExpiry(StreamForgeDbContext db, IStorageGateway storage, VideoLifecycle lifecycle, TimeProvider clock, ILogger<UploadExpiry> log)
{
    public async Task<int> ExpireIdleAsync(int batchSize, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var expired = await db.UploadSessions.AsNoTracking()
            .Where(s => s.State == UploadState.Active && s.ExpiresAt <= now)
            .OrderBy(s => s.ExpiresAt).Take(batchSize).ToListAsync(ct);
        foreach (var session in expired)
        {
            if ((await lifecycle.ExpireUploadAsync(session.VideoId, ct)).Result != TransitionResult.Done) continue;
            await UploadCleanup.DiscardStorageAsync(session, storage, ct);
            log.LogInformation("Expired idle upload {VideoId} ({Bytes} bytes released)", session.VideoId, session.Size);
        }
        return expired.Count;
    }
}

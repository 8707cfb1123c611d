using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using StreamForge.Core.Quota;
using StreamForge.Core.Data;
using StreamForge.Core.Storage;

namespace StreamForge.Core.Uploads;

/// <summary>
/// Ends uploads idle past their sliding expiry: frees the storage they hold, releases the quota they
/// reserved, and leaves the video failed with a reason, so the owner sees what happened.
/// </summary>
public sealed class UploadExpiry(StreamForgeDbContext db, IStorageGateway storage, QuotaLedger quota, TimeProvider clock, ILogger<UploadExpiry> log)
{
    public async Task<int> ExpireIdleAsync(int batchSize, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var expired = await db.UploadSessions.Include(s => s.Video)
            .Where(s => s.State == UploadState.Active && s.ExpiresAt <= now)
            .OrderBy(s => s.ExpiresAt).Take(batchSize).ToListAsync(ct);
        foreach (var session in expired)
        {
            var video = session.Video!;
            // Claim the session first: a concurrent complete or a second cleanup node must not release twice.
            var claimed = await db.UploadSessions.Where(s => s.Id == session.Id && s.State == UploadState.Active)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.State, UploadState.Expired).SetProperty(s => s.UpdatedAt, now), ct);
            if (claimed == 0) continue;
            await UploadCleanup.DiscardStorageAsync(session, storage, ct);
            await quota.ReleaseAsync(video.OwnerId, video.SizeBytes, ct);
            await db.Videos.Where(v => v.Id == video.Id).ExecuteUpdateAsync(u => u
                .SetProperty(v => v.Status, VideoStatus.Failed)
                .SetProperty(v => v.SizeBytes, 0)
                .SetProperty(v => v.LastError, "The upload was idle too long and expired; upload the file again.")
                .SetProperty(v => v.UpdatedAt, now), ct);
            log.LogInformation("Expired idle upload {VideoId} ({Bytes} bytes released)", video.Id, video.SizeBytes);
        }
        return expired.Count;
    }
}

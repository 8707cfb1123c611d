using Microsoft.EntityFrameworkCore;
using StreamForge.Api.Videos;
using StreamForge.Core.Data;
using StreamForge.Core.Processing;
using StreamForge.Core.Videos;

namespace StreamForge.Api.Admin;

/// <summary>
/// An administrator's lifecycle actions on anyone's videos (delete, requeue, delete jobs), through the same
/// transitions as the owner's. Answers are domain results; <see cref="AdminApi"/> makes them HTTP.
/// </summary>
public sealed class AdminVideoService(StreamForgeDbContext db, VideoRemoval removal, VideoRequeue requeue, VideoLifecycle lifecycle, IProcessingQueue queue)
{
    public const string JobDeletedReason = "Job deleted by an administrator.";

    public async Task<TransitionOutcome> DeleteAsync(Guid id, CancellationToken ct)
    {
        var video = await db.Videos.AsNoTracking().Include(v => v.Upload).SingleOrDefaultAsync(v => v.Id == id, ct);
        return video is null ? new(TransitionResult.NotFound) : await removal.RemoveAsync(video, video.Upload, ct);
    }

    /// <summary>Requeues what can be (failed or ready, with a completed upload and its source); returns how many.</summary>
    public async Task<int> RequeueAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var videos = await db.Videos.AsNoTracking().Where(v => ids.Contains(v.Id)).ToListAsync(ct);
        var count = 0;
        foreach (var video in videos)
            if ((await requeue.RequeueAsync(video, RequeueBy.Admin, ct)).Result == TransitionResult.Done) count++;
        return count;
    }

    /// <summary>
    /// Removes the jobs and their history. A processing video is cancelled (state first, then its job), so its owner
    /// hears it like any cancel; returns the number of history rows removed.
    /// </summary>
    public async Task<int> DeleteJobsAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var processing = await db.Videos.Where(v => ids.Contains(v.Id) && v.Status == VideoStatus.Processing).Select(v => v.Id).ToListAsync(ct);
        foreach (var id in processing) await lifecycle.CancelAsync(id, JobDeletedReason, ct);
        foreach (var id in ids.Except(processing)) await queue.RemoveAsync(id, ct);
        return Math.Max(await db.JobRuns.Where(r => ids.Contains(r.VideoId)).ExecuteDeleteAsync(ct), 0);
    }
}

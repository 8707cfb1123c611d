using Microsoft.EntityFrameworkCore;
using StreamForge.Api.Infrastructure;
using StreamForge.Api.Videos;
using StreamForge.Core.Data;
using StreamForge.Core.Processing;
using StreamForge.Core.Videos;

namespace StreamForge.Api.Admin;

/// <summary>
/// An administrator's list of everyone's videos and lifecycle actions on them (delete, requeue, delete jobs), through
/// the same transitions as the owner's. Answers are domain results; <see cref="AdminApi"/> makes them HTTP.
/// </summary>
public sealed class AdminVideoService(
    StreamForgeDbContext db, VideoRemoval removal, VideoRequeue requeue, VideoLifecycle lifecycle, IProcessingQueue queue, VideoMapper mapper)
{
    public const string JobDeletedReason = "Job deleted by an administrator.";

    /// <summary>The most ids one bulk request may name: each costs a transition, and the request must end in time.</summary>
    public const int MaxBulk = 500;

    public async Task<Outcome<PagedList<VideoDto>>> ListAsync(string? status, int? page, int? pageSize, string? sort, CancellationToken ct)
    {
        if (status is not null && !Wire.TryParse<VideoStatus>(status, out _)) return Refusal.BadRequest($"status must be one of {string.Join(", ", Wire.All<VideoStatus>())}.");
        if (Paging.Check(page) is { } badPage) return badPage;
        var wanted = status is null ? default(VideoStatus?) : Wire.Parse<VideoStatus>(status);
        var q = wanted is null ? db.Videos : db.Videos.Where(v => v.Status == wanted);
        return await q.Sorted(sort).PageAsync(page, pageSize, mapper, ct);
    }

    public async Task<TransitionOutcome> DeleteAsync(Guid id, CancellationToken ct)
    {
        var video = await db.Videos.AsNoTracking().Include(v => v.Upload).SingleOrDefaultAsync(v => v.Id == id, ct);
        return video is null ? new(TransitionResult.NotFound) : await removal.RemoveAsync(video, video.Upload, ct);
    }

    /// <summary>Requeues what can be (failed or ready, with a completed upload and its source); returns how many.</summary>
    public async Task<Outcome<int>> RequeueAsync(Guid[]? videoIds, CancellationToken ct)
    {
        if (CheckIds(videoIds) is { } refused) return refused;
        var ids = videoIds!.Distinct().ToArray();
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
    public async Task<Outcome<int>> DeleteJobsAsync(Guid[]? videoIds, CancellationToken ct)
    {
        if (CheckIds(videoIds) is { } refused) return refused;
        var ids = videoIds!.Distinct().ToArray();
        var processing = await db.Videos.Where(v => ids.Contains(v.Id) && v.Status == VideoStatus.Processing).Select(v => v.Id).ToListAsync(ct);
        foreach (var id in processing) await lifecycle.CancelAsync(id, JobDeletedReason, ct);
        foreach (var id in ids.Except(processing)) await queue.RemoveAsync(id, ct);
        return Math.Max(await db.JobRuns.Where(r => ids.Contains(r.VideoId)).ExecuteDeleteAsync(ct), 0);
    }

    private static Refusal? CheckIds(Guid[]? ids) =>
        ids is not { Length: > 0 } ? Refusal.BadRequest("videoIds must list at least one video id.")
        : ids.Length > MaxBulk ? Refusal.BadRequest($"At most {MaxBulk} ids per request.")
        : null;
}

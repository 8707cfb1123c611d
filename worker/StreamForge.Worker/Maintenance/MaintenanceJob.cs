using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;
using StreamForge.Core.Data;
using StreamForge.Core.Maintenance;
using StreamForge.Core.Processing;
using StreamForge.Core.Uploads;

namespace StreamForge.Worker.Maintenance;

/// <summary>
/// The one recurring cleanup (clustered, so one node runs it at a time): expires idle uploads and
/// trims job history — succeeded runs after 24 h, failed after 7 days — and upload links a week after they expired.
/// </summary>
[DisallowConcurrentExecution]
public sealed class MaintenanceJob(
    StreamForgeDbContext db, UploadExpiry uploads, RecordTrims trims, IProcessingQueue queue, IOptions<JobsOptions> options, TimeProvider clock, ILogger<MaintenanceJob> log) : IJob
{
    public static readonly JobKey Key = new("maintenance", ProcessingJobs.MaintenanceGroup);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var expired = await uploads.ExpireIdleAsync(batchSize: 500, ct);
        var now = clock.GetUtcNow();
        var succeededBefore = now - options.Value.SucceededRetention;
        var failedBefore = now - options.Value.FailedRetention;
        var trimmed = await db.JobRuns.Where(r =>
                (r.Outcome == JobOutcome.Succeeded || r.Outcome == JobOutcome.Released || r.Outcome == JobOutcome.Retrying) && r.FinishedAt < succeededBefore
                || r.Outcome == JobOutcome.Failed && r.FinishedAt < failedBefore)
            .ExecuteDeleteAsync(ct);
        // Deleted videos' runs only matter to the 24-hour processing allowance; they count as trimmed runs.
        var dayAgo = now.AddHours(-24);
        trimmed += await db.Set<DeletedVideoRun>().Where(r => r.FinishedAt < dayAgo).ExecuteDeleteAsync(ct);
        var links = await trims.UploadLinksAsync(now - options.Value.UploadLinkRetention, ct);
        var requeued = await RequeueOrphansAsync(context.Scheduler, ct);
        if (expired + trimmed + links + requeued > 0)
            log.LogInformation("Maintenance: {Expired} uploads expired, {Trimmed} job runs and {Links} upload links trimmed, {Requeued} orphaned videos requeued",
                expired, trimmed, links, requeued);
    }

    /// <summary>
    /// A video in processing with neither a queued job nor a running attempt lost its job (an enqueue
    /// that failed after the commit, a release during a hard stop): put it back in the queue.
    /// </summary>
    private async Task<int> RequeueOrphansAsync(IScheduler scheduler, CancellationToken ct)
    {
        var candidates = await db.Videos
            .Where(v => v.Status == VideoStatus.Processing && !db.JobRuns.Any(r => r.VideoId == v.Id && r.Outcome == JobOutcome.Running))
            .Select(v => v.Id).Take(500).ToListAsync(ct);
        var requeued = 0;
        foreach (var id in candidates)
        {
            if (await scheduler.Exists(ProcessingJobs.TranscodeKey(id), ct)) continue;
            await queue.EnqueueAsync(id, ct: ct);
            requeued++;
        }
        return requeued;
    }
}

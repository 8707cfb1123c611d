using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;
using StreamForge.Core.Data;
using StreamForge.Core.Processing;
using StreamForge.Core.Uploads;

namespace StreamForge.Worker.Maintenance;

/// <summary>
/// The one recurring cleanup (clustered, so one node runs it at a time): expires idle uploads and
/// trims job history — succeeded runs after 24 h, failed after 7 days.
/// </summary>
[DisallowConcurrentExecution]
public sealed class MaintenanceJob(StreamForgeDbContext db, UploadExpiry uploads, IOptions<JobsOptions> options, TimeProvider clock, ILogger<MaintenanceJob> log) : IJob
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
        if (expired + trimmed > 0) log.LogInformation("Maintenance: {Expired} uploads expired, {Trimmed} job runs trimmed", expired, trimmed);
    }
}

using Microsoft.EntityFrameworkCore;
using StreamForge.Core.Data;

namespace StreamForge.Worker.Processing;

/// <summary>Writes the attempt history the job dashboard reads (Quartz forgets fired triggers).</summary>
public sealed class JobRunRecorder(StreamForgeDbContext db, TimeProvider clock)
{
    public const string WorkerStoppedError = "The worker stopped responding; the job was recovered by another worker.";

    /// <summary>Runs of this processing round (since <paramref name="roundStart"/>) that ended with their worker dying.</summary>
    public Task<int> CountWorkerStopsAsync(Guid videoId, DateTimeOffset roundStart, CancellationToken ct) =>
        db.JobRuns.CountAsync(r => r.VideoId == videoId && r.StartedAt >= roundStart && (r.Outcome == JobOutcome.Running || r.Error == WorkerStoppedError), ct);

    public async Task<JobRun> StartAsync(Guid videoId, int attempt, string worker, DateTimeOffset enqueuedAt, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // A run still "running" belongs to a worker that died (the job was recovered here): close it.
        await db.JobRuns.Where(r => r.VideoId == videoId && r.Outcome == JobOutcome.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Outcome, JobOutcome.Failed)
                .SetProperty(r => r.Error, WorkerStoppedError)
                .SetProperty(r => r.FinishedAt, now), ct);
        var run = new JobRun { VideoId = videoId, Attempt = attempt, Worker = worker, EnqueuedAt = enqueuedAt, StartedAt = now, Outcome = JobOutcome.Running };
        db.JobRuns.Add(run);
        await db.SaveChangesAsync(ct);
        return run;
    }

    /// <summary>Closes a run whose video was deleted or cancelled meanwhile; the row may be gone with its video.</summary>
    public Task CloseAbandonedAsync(JobRun run, string error, CancellationToken ct) =>
        db.JobRuns.Where(r => r.Id == run.Id && r.Outcome == JobOutcome.Running).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Outcome, JobOutcome.Failed)
            .SetProperty(r => r.Error, error)
            .SetProperty(r => r.FinishedAt, clock.GetUtcNow()), ct);

    public async Task FinishAsync(JobRun run, string outcome, string? error, CancellationToken ct)
    {
        run.Outcome = outcome;
        run.Error = Cap(error);
        run.FinishedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
    }

    private static string? Cap(string? error) => error is { Length: > 8000 } ? error[^8000..] : error;
}

using Microsoft.EntityFrameworkCore;
using Quartz;
using StreamForge.Api.Infrastructure;
using StreamForge.Api.Videos;
using StreamForge.Core.Data;

namespace StreamForge.Api.Admin;

/// <summary>
/// The job view over our own tables: a video's job is "scheduled" while it waits in Quartz, "processing"
/// while a run is open, and "succeeded"/"failed" by its final run (kept 24 h / 7 days by the cleanup).
/// </summary>
public sealed class JobDashboard(StreamForgeDbContext db, ISchedulerFactory schedulers, TimeProvider clock)
{
    private IQueryable<Video> Scheduled => db.Videos.Where(v => v.Status == VideoStatus.Processing
        && !db.JobRuns.Any(r => r.VideoId == v.Id && r.Outcome == JobOutcome.Running));

    private IQueryable<JobRun> FinalRuns(string outcome) => db.JobRuns.Where(r => r.Outcome == outcome);

    public async Task<JobStats> StatsAsync(CancellationToken ct)
    {
        var since = clock.GetUtcNow().AddMinutes(-30);
        var recent = await db.JobRuns.AsNoTracking()
            .Where(r => r.FinishedAt >= since && (r.Outcome == JobOutcome.Succeeded || r.Outcome == JobOutcome.Failed))
            .Select(r => new { r.FinishedAt, r.Outcome }).ToListAsync(ct);
        var history = recent
            .GroupBy(r => TruncateToMinute(r.FinishedAt!.Value))
            .OrderBy(g => g.Key)
            .Select(g => new JobHistoryPoint(g.Key, g.Count(r => r.Outcome == JobOutcome.Succeeded), g.Count(r => r.Outcome == JobOutcome.Failed)))
            .ToList();
        return new JobStats(
            await Scheduled.CountAsync(ct),
            await db.JobRuns.CountAsync(r => r.Outcome == JobOutcome.Running, ct),
            await FinalRuns(JobOutcome.Succeeded).CountAsync(ct),
            await FinalRuns(JobOutcome.Failed).CountAsync(ct),
            history);
    }

    /// <summary>One page of the jobs in <paramref name="state"/> (processing when not given).</summary>
    public async Task<Outcome<PagedList<JobDto>>> ListAsync(string? state, int? page, int? pageSize, CancellationToken ct)
    {
        state ??= JobStates.Processing;
        if (!JobStates.All.Contains(state)) return Refusal.BadRequest($"state must be one of {string.Join(", ", JobStates.All)}.");
        if (Paging.Check(page) is { } badPage) return badPage;
        var (p, size) = Paging.Clamp(page, pageSize, 50, 200);
        var (items, total) = await PageAsync(state, p, size, ct);
        return new PagedList<JobDto>(items, total, p, size);
    }

    private async Task<(IReadOnlyList<JobDto> Items, int Total)> PageAsync(string state, int page, int pageSize, CancellationToken ct)
    {
        if (state == JobStates.Scheduled)
        {
            var q = Scheduled.OrderBy(v => v.EnqueuedAt);
            var videos = await q.Include(v => v.Owner).Skip((page - 1) * pageSize).Take(pageSize).AsNoTracking().ToListAsync(ct);
            return (videos.Select(v => new JobDto(v.Id, v.Title, v.Owner?.Email, JobStates.Scheduled, null, v.EnqueuedAt, null, null, null, null,
                v.ProcessingAttempts, v.LastError)).ToList(), await q.CountAsync(ct));
        }
        var outcome = state switch { JobStates.Processing => JobOutcome.Running, JobStates.Succeeded => JobOutcome.Succeeded, _ => JobOutcome.Failed };
        var runs = FinalRuns(outcome);
        var rows = await runs.OrderByDescending(r => r.FinishedAt ?? r.StartedAt).Skip((page - 1) * pageSize).Take(pageSize)
            .Join(db.Videos.Include(v => v.Owner), r => r.VideoId, v => v.Id, (r, v) => new { Run = r, Video = v })
            .AsNoTracking().ToListAsync(ct);
        return (rows.Select(x => ToDto(x.Video, x.Run, state)).ToList(), await runs.CountAsync(ct));
    }

    public async Task<JobDetailDto?> DetailAsync(Guid videoId, CancellationToken ct)
    {
        var video = await db.Videos.Include(v => v.Owner).AsNoTracking().SingleOrDefaultAsync(v => v.Id == videoId, ct);
        if (video is null) return null;
        var runs = await db.JobRuns.AsNoTracking().Where(r => r.VideoId == videoId).OrderBy(r => r.Id).ToListAsync(ct);
        var last = runs.LastOrDefault();
        var state = last is null ? JobStates.Scheduled
            : last.Outcome == JobOutcome.Running ? JobStates.Processing
            : video.Status == VideoStatus.Processing ? JobStates.Scheduled
            : last.Outcome == JobOutcome.Succeeded ? JobStates.Succeeded : JobStates.Failed;
        var job = last is null
            ? new JobDto(video.Id, video.Title, video.Owner?.Email, state, null, video.EnqueuedAt, null, null, null, null, video.ProcessingAttempts, video.LastError)
            : ToDto(video, last, state);
        return new JobDetailDto(job, runs.Select(r => new JobAttemptDto(r.Attempt, r.Worker, r.StartedAt, r.FinishedAt, r.Outcome, r.Error)).ToList());
    }

    public async Task<IReadOnlyList<WorkerDto>> WorkersAsync(CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var nodes = await scheduler.QueryClusterNodes(ct);
        var running = await db.JobRuns.Where(r => r.Outcome == JobOutcome.Running).GroupBy(r => r.Worker)
            .Select(g => new { Worker = g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Worker, x => x.Count, ct);
        return nodes.Select(n => new WorkerDto(n.InstanceId, n.LastCheckInUtc, n.State.ToString(), running.GetValueOrDefault(n.InstanceId), n.IsCurrentNode)).ToList();
    }

    private static JobDto ToDto(Video v, JobRun r, string state) => new(
        v.Id, v.Title, v.Owner?.Email, state, r.Worker, r.EnqueuedAt, r.StartedAt, r.FinishedAt,
        r.FinishedAt is { } f ? (long)(f - r.StartedAt).TotalMilliseconds : null,
        (long)(r.StartedAt - r.EnqueuedAt).TotalMilliseconds, v.ProcessingAttempts, r.Error ?? v.LastError);

    private static DateTimeOffset TruncateToMinute(DateTimeOffset t) => new(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, TimeSpan.Zero);
}

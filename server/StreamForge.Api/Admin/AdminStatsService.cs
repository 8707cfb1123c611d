using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Core.Quota;
using StreamForge.Core.Data;
using StreamForge.Core.Observability;
using StreamForge.Core.Processing;

namespace StreamForge.Api.Admin;

/// <summary>Key figures for the admin dashboard: global storage use, the queue, workers, open uploads, the last day's outcomes.</summary>
public sealed class AdminStatsService(
    StreamForgeDbContext db, QueueStats queue, JobDashboard dashboard, IOptions<QuotaOptions> quota, IOptions<JobsOptions> jobs, TimeProvider clock)
{
    /// <summary>How many of the largest accounts the dashboard lists; one indexed-order query however many users exist.</summary>
    public const int TopStorageUserCount = 5;

    public async Task<AdminStats> ReadAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var since = now.AddDays(-1);
        var storage = await db.Users.Select(u => u.StorageUsedBytes).SumAsync(ct);
        var users = await db.Users.CountAsync(ct);
        var top = await db.Users.AsNoTracking().Where(u => u.StorageUsedBytes > 0)
            .OrderByDescending(u => u.StorageUsedBytes).ThenBy(u => u.Email).Take(TopStorageUserCount).ToListAsync(ct);
        var byStatus = (await db.Videos.GroupBy(v => v.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct)).ToDictionary(g => g.Key.ToWire(), g => g.Count);
        var finished = await db.JobRuns.Where(r => r.FinishedAt != null && r.FinishedAt >= since && (r.Outcome == JobOutcome.Succeeded || r.Outcome == JobOutcome.Failed))
            .Select(r => new { r.Outcome, r.StartedAt, r.FinishedAt }).ToListAsync(ct);
        var durations = finished.Where(r => r.Outcome == JobOutcome.Succeeded).Select(r => (r.FinishedAt!.Value - r.StartedAt).TotalSeconds).Order().ToList();
        // A session past its expiry is dead even before the cleanup marks it so.
        var open = db.UploadSessions.Where(s => s.State == UploadState.Active && s.ExpiresAt > now);
        var uploads = new UploadFigures(await open.CountAsync(ct), await open.SumAsync(s => (long?)s.Size, ct) ?? 0);
        var q = await queue.ReadAsync(ct);
        // Quartz keeps a dead node's row until another node recovers it: only recent check-ins count as online.
        var fresh = now - 3 * jobs.Value.ClusterCheckinInterval;
        var workers = (await dashboard.WorkersAsync(ct)).Where(w => !w.IsApi && w.LastHeartbeat >= fresh).ToList();
        return new AdminStats(storage, users, byStatus.Values.Sum(), byStatus, new QueueFigures(q.Waiting, q.OldestWaitSeconds, q.Running),
            durations.Count, finished.Count(r => r.Outcome == JobOutcome.Failed), durations.Count == 0 ? null : durations[durations.Count / 2],
            new WorkerFigures(workers.Count, workers.Count(w => w.Running > 0)), uploads,
            top.Select(u => new StorageUser(u.Id, u.Email, u.StorageUsedBytes, QuotaPolicy.EffectiveQuota(u, quota.Value))).ToList());
    }
}

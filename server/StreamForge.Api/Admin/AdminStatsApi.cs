using Microsoft.EntityFrameworkCore;
using StreamForge.Api.Auth;
using StreamForge.Core.Data;
using StreamForge.Core.Observability;

namespace StreamForge.Api.Admin;

public sealed record QueueFigures(int Waiting, double OldestWaitSeconds, int Running);
public sealed record AdminStats(
    long StorageUsedBytes, int Users, int Videos, Dictionary<string, int> VideosByStatus, QueueFigures Queue,
    int SucceededLastDay, int FailedLastDay, double? MedianProcessingSecondsLastDay);

/// <summary>Key figures for the admin dashboard: global storage use, the queue, the last day's outcomes.</summary>
public static class AdminStatsApi
{
    public static RouteGroupBuilder MapAdminStatsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/admin").WithTags("Admin").RequireAuthorization(AuthSetup.AdminPolicy);
        group.MapGet("/stats", Stats).WithName("AdminStats").WithSummary("Storage use, queue depth and the last day's job outcomes");
        return group;
    }

    private static async Task<AdminStats> Stats(StreamForgeDbContext db, QueueStats queue, TimeProvider clock, CancellationToken ct)
    {
        var since = clock.GetUtcNow().AddDays(-1);
        var storage = await db.Users.Select(u => u.StorageUsedBytes).SumAsync(ct);
        var users = await db.Users.CountAsync(ct);
        var byStatus = (await db.Videos.GroupBy(v => v.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct)).ToDictionary(g => g.Key, g => g.Count);
        var finished = await db.JobRuns.Where(r => r.FinishedAt != null && r.FinishedAt >= since && (r.Outcome == JobOutcome.Succeeded || r.Outcome == JobOutcome.Failed))
            .Select(r => new { r.Outcome, r.StartedAt, r.FinishedAt }).ToListAsync(ct);
        var durations = finished.Where(r => r.Outcome == JobOutcome.Succeeded).Select(r => (r.FinishedAt!.Value - r.StartedAt).TotalSeconds).Order().ToList();
        var q = await queue.ReadAsync(ct);
        return new AdminStats(storage, users, byStatus.Values.Sum(), byStatus, new QueueFigures(q.Waiting, q.OldestWaitSeconds, q.Running),
            durations.Count, finished.Count(r => r.Outcome == JobOutcome.Failed), durations.Count == 0 ? null : durations[durations.Count / 2]);
    }
}

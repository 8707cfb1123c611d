using StreamForge.Api.Auth;

namespace StreamForge.Api.Admin;

public sealed record QueueFigures(int Waiting, double OldestWaitSeconds, int Running);
/// <summary>Scheduler nodes other than the answering API node that checked in lately, and how many of them run a job.</summary>
public sealed record WorkerFigures(int Online, int Busy);
/// <summary>Upload sessions still open (not completed, aborted or expired) and the bytes they declared.</summary>
public sealed record UploadFigures(int Active, long Bytes);
public sealed record StorageUser(Guid Id, string Email, long StorageUsedBytes, long? QuotaBytes);
public sealed record AdminStats(
    long StorageUsedBytes, int Users, int Videos, Dictionary<string, int> VideosByStatus, QueueFigures Queue,
    int SucceededLastDay, int FailedLastDay, double? MedianProcessingSecondsLastDay,
    WorkerFigures Workers, UploadFigures Uploads, IReadOnlyList<StorageUser> TopStorageUsers);

/// <summary>Key figures for the admin dashboard; <see cref="AdminStatsService"/> reads them.</summary>
public static class AdminStatsApi
{
    public static RouteGroupBuilder MapAdminStatsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/admin").WithTags("Admin").RequireAuthorization(AuthSetup.AdminPolicy);
        group.MapGet("/stats", Stats).WithName("AdminStats")
            .WithSummary("Storage use (total and largest accounts), queue depth, workers, open uploads and the last day's job outcomes");
        return group;
    }

    private static async Task<AdminStats> Stats(AdminStatsService stats, CancellationToken ct) => await stats.ReadAsync(ct);
}

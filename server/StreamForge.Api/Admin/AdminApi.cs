using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Api.Auth;
using StreamForge.Api.Infrastructure;
using StreamForge.Api.Videos;
using StreamForge.Core.Quota;
using StreamForge.Core.Data;
using StreamForge.Core.Processing;
using StreamForge.Core.Videos;

namespace StreamForge.Api.Admin;

public sealed record AdminUserDto(Guid Id, string Email, string Role, long StorageUsedBytes, long? QuotaBytes, int VideoCount, DateTimeOffset CreatedAt);
public sealed record UpdateUserRequest(string? Role, long? QuotaBytes, bool? ClearQuota);
public sealed record JobIdsRequest(Guid[]? VideoIds);
public sealed record RequeueResult(int Requeued);
public sealed record DeleteResult(int Deleted);

public static class AdminApi
{
    public const int MaxBulk = 500;

    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/admin").WithTags("Admin").RequireAuthorization(AuthSetup.AdminPolicy);
        group.MapGet("/videos", Videos).WithName("AdminListVideos").WithSummary("Every user's videos");
        group.MapDelete("/videos/{id:guid}", DeleteVideo).WithName("AdminDeleteVideo").WithSummary("Hard delete a video");
        group.MapGet("/users", Users).WithName("AdminListUsers").WithSummary("Users with storage usage");
        group.MapPatch("/users/{id:guid}", UpdateUser).WithName("AdminUpdateUser").WithSummary("Change a user's role or quota");
        group.MapGet("/jobs/stats", Stats).WithName("JobStats").WithSummary("Job counts per state and the last 30 minutes");
        group.MapGet("/jobs", Jobs).WithName("ListJobs").WithSummary("Jobs in one state");
        group.MapGet("/jobs/{videoId:guid}", Job).WithName("GetJob").WithSummary("A job with its attempt history");
        group.MapPost("/jobs/requeue", Requeue).WithName("RequeueJobs").WithSummary("Run jobs again");
        group.MapPost("/jobs/delete", DeleteJobs).WithName("DeleteJobs").WithSummary("Remove jobs (pending runs and history); videos in processing become failed");
        group.MapGet("/workers", Workers).WithName("ListWorkers").WithSummary("Scheduler nodes with their heartbeat");
        return group;
    }

    private static async Task<Results<Ok<PagedList<VideoDto>>, ProblemHttpResult>> Videos(
        StreamForgeDbContext db, VideoMapper mapper, int? page, int? pageSize, string? status, string? sort, CancellationToken ct)
    {
        if (status is not null && !Wire.TryParse<VideoStatus>(status, out _)) return Problems.BadRequest($"status must be one of {string.Join(", ", Wire.All<VideoStatus>())}.");
        if (Paging.Check(page) is { } badPage) return badPage;
        var wanted = status is null ? default(VideoStatus?) : Wire.Parse<VideoStatus>(status);
        var q = wanted is null ? db.Videos : db.Videos.Where(v => v.Status == wanted);
        return TypedResults.Ok(await q.Sorted(sort).PageAsync(page, pageSize, mapper, ct));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteVideo(Guid id, AdminVideoService videos, CancellationToken ct) =>
        await videos.DeleteAsync(id, ct) is { Result: TransitionResult.Done } ? TypedResults.NoContent() : Problems.NotFound("The video");

    private static async Task<Ok<List<AdminUserDto>>> Users(StreamForgeDbContext db, IOptions<QuotaOptions> quota, CancellationToken ct)
    {
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Email)
            .Select(u => new { User = u, Count = u.Videos.Count }).ToListAsync(ct);
        return TypedResults.Ok(users.Select(x => new AdminUserDto(x.User.Id, x.User.Email, x.User.Role, x.User.StorageUsedBytes,
            QuotaPolicy.EffectiveQuota(x.User, quota.Value), x.Count, x.User.CreatedAt)).ToList());
    }

    private static async Task<Results<Ok<AdminUserDto>, ValidationProblem, ProblemHttpResult>> UpdateUser(
        Guid id, UpdateUserRequest body, StreamForgeDbContext db, IOptions<QuotaOptions> quota, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.Role is not null && !Roles.All.Contains(body.Role)) errors["role"] = [$"role must be one of {string.Join(", ", Roles.All)}."];
        if (body.QuotaBytes is < 0) errors["quotaBytes"] = ["quotaBytes must not be negative."];
        if (errors.Count > 0) return Problems.Validation(errors);
        var user = await db.Users.Include(u => u.Videos).SingleOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return Problems.NotFound("The user");
        if (body.Role is not null) user.Role = body.Role;
        if (body.QuotaBytes is not null) user.QuotaBytes = body.QuotaBytes;
        if (body.ClearQuota == true) user.QuotaBytes = null;
        user.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new AdminUserDto(user.Id, user.Email, user.Role, user.StorageUsedBytes, QuotaPolicy.EffectiveQuota(user, quota.Value), user.Videos.Count, user.CreatedAt));
    }

    private static async Task<Ok<JobStats>> Stats(JobDashboard dashboard, CancellationToken ct) => TypedResults.Ok(await dashboard.StatsAsync(ct));

    private static async Task<Results<Ok<PagedList<JobDto>>, ProblemHttpResult>> Jobs(JobDashboard dashboard, string? state, int? page, int? pageSize, CancellationToken ct)
    {
        state ??= JobStates.Processing;
        if (!JobStates.All.Contains(state)) return Problems.BadRequest($"state must be one of {string.Join(", ", JobStates.All)}.");
        if (Paging.Check(page) is { } badPage) return badPage;
        var (p, size) = Paging.Clamp(page, pageSize, 50, 200);
        var (items, total) = await dashboard.ListAsync(state, p, size, ct);
        return TypedResults.Ok(new PagedList<JobDto>(items, total, p, size));
    }

    private static async Task<Results<Ok<JobDetailDto>, ProblemHttpResult>> Job(Guid videoId, JobDashboard dashboard, CancellationToken ct) =>
        await dashboard.DetailAsync(videoId, ct) is { } detail ? TypedResults.Ok(detail) : Problems.NotFound("The job");

    private static async Task<Results<Ok<RequeueResult>, ProblemHttpResult>> Requeue(JobIdsRequest body, AdminVideoService videos, CancellationToken ct) =>
        CheckIds(body) is { } problem ? problem : TypedResults.Ok(new RequeueResult(await videos.RequeueAsync(body.VideoIds!.Distinct().ToArray(), ct)));

    private static async Task<Results<Ok<DeleteResult>, ProblemHttpResult>> DeleteJobs(JobIdsRequest body, AdminVideoService videos, CancellationToken ct) =>
        CheckIds(body) is { } problem ? problem : TypedResults.Ok(new DeleteResult(await videos.DeleteJobsAsync(body.VideoIds!.Distinct().ToArray(), ct)));

    private static async Task<Ok<IReadOnlyList<WorkerDto>>> Workers(JobDashboard dashboard, CancellationToken ct) => TypedResults.Ok(await dashboard.WorkersAsync(ct));

    private static ProblemHttpResult? CheckIds(JobIdsRequest body) =>
        body.VideoIds is not { Length: > 0 } ? Problems.BadRequest("videoIds must list at least one video id.")
        : body.VideoIds.Length > MaxBulk ? Problems.BadRequest($"At most {MaxBulk} ids per request.")
        : null;
}

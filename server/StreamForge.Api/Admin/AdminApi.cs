using Microsoft.AspNetCore.Http.HttpResults;
using StreamForge.Api.Auth;
using StreamForge.Api.Infrastructure;
using StreamForge.Api.Videos;
using StreamForge.Core.Videos;

namespace StreamForge.Api.Admin;

public static class AdminApi
{
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

    private static async Task<Results<Ok<PagedList<VideoDto>>, ProblemHttpResult>> Videos([AsParameters] AdminVideoListCall call) =>
        Page(await call.Videos.ListAsync(call.Status, call.Page, call.PageSize, call.Sort, call.Ct), "The video");

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteVideo(Guid id, AdminVideoService videos, CancellationToken ct) =>
        await videos.DeleteAsync(id, ct) is { Result: TransitionResult.Done } ? TypedResults.NoContent() : Problems.NotFound("The video");

    private static async Task<Ok<List<AdminUserDto>>> Users(AdminUserService users, CancellationToken ct) => TypedResults.Ok(await users.ListAsync(ct));

    private static async Task<Results<Ok<AdminUserDto>, ValidationProblem, ProblemHttpResult>> UpdateUser(
        Guid id, UpdateUserRequest body, AdminUserService users, CancellationToken ct) =>
        await users.UpdateAsync(id, body, ct) switch
        {
            { Refusal.Fields: { } fields } => Problems.Validation(fields),
            { Refusal: { } refused } => RefusalProblems.For(refused, "The user"),
            { Value: var user } => TypedResults.Ok(user),
        };

    private static async Task<Ok<JobStats>> Stats(JobDashboard dashboard, CancellationToken ct) => TypedResults.Ok(await dashboard.StatsAsync(ct));

    private static async Task<Results<Ok<PagedList<JobDto>>, ProblemHttpResult>> Jobs([AsParameters] JobListCall call) =>
        Page(await call.Dashboard.ListAsync(call.State, call.Page, call.PageSize, call.Ct), "The job");

    private static async Task<Results<Ok<JobDetailDto>, ProblemHttpResult>> Job(Guid videoId, JobDashboard dashboard, CancellationToken ct) =>
        await dashboard.DetailAsync(videoId, ct) is { } detail ? TypedResults.Ok(detail) : Problems.NotFound("The job");

    private static async Task<Results<Ok<RequeueResult>, ProblemHttpResult>> Requeue(JobIdsRequest body, AdminVideoService videos, CancellationToken ct) =>
        await videos.RequeueAsync(body.VideoIds, ct) switch
        {
            { Refusal: { } refused } => RefusalProblems.For(refused, "The video"),
            { Value: var count } => TypedResults.Ok(new RequeueResult(count)),
        };

    private static async Task<Results<Ok<DeleteResult>, ProblemHttpResult>> DeleteJobs(JobIdsRequest body, AdminVideoService videos, CancellationToken ct) =>
        await videos.DeleteJobsAsync(body.VideoIds, ct) switch
        {
            { Refusal: { } refused } => RefusalProblems.For(refused, "The video"),
            { Value: var count } => TypedResults.Ok(new DeleteResult(count)),
        };

    private static async Task<Ok<IReadOnlyList<WorkerDto>>> Workers(JobDashboard dashboard, CancellationToken ct) => TypedResults.Ok(await dashboard.WorkersAsync(ct));

    private static Results<Ok<PagedList<T>>, ProblemHttpResult> Page<T>(Outcome<PagedList<T>> outcome, string what) =>
        outcome is { Refusal: { } refused } ? RefusalProblems.For(refused, what) : TypedResults.Ok(outcome.Value!);
}

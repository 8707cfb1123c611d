using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using StreamForge.Api.Infrastructure;
using StreamForge.Api.Keys;
using StreamForge.Core.Videos;

namespace StreamForge.Api.Videos;

public static class VideosApi
{
    public static RouteGroupBuilder MapVideosApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/videos").WithTags("Videos").RequireAuthorization();
        group.MapGet("/", List).WithName("ListVideos").WithSummary("The caller's videos, paged and sorted").RequireScope(ApiScopes.VideosRead);
        group.MapGet("/{id:guid}", Get).WithName("GetVideo").WithSummary("One video with probe data, renditions, caption tracks and download endpoints").RequireScope(ApiScopes.VideosRead);
        group.MapPatch("/{id:guid}", Update).WithName("UpdateVideo").WithSummary("Rename a video and/or change who may watch it").RequireScope(ApiScopes.VideosWrite);
        group.MapDelete("/{id:guid}", Delete).WithName("DeleteVideo").WithSummary("Delete a video and its stored media").RequireScope(ApiScopes.VideosWrite);
        group.MapPost("/{id:guid}/retry", Retry).WithName("RetryVideo").WithSummary("Process a failed video again").RequireScope(ApiScopes.VideosWrite);
        group.MapPost("/{id:guid}/cancel", Cancel).WithName("CancelVideo").WithSummary("Stop processing a video").RequireScope(ApiScopes.VideosWrite);
        return group;
    }

    private static async Task<Results<Ok<PagedList<VideoDto>>, ProblemHttpResult>> List([AsParameters] VideoListCall call) =>
        await call.Videos.ListAsync(call.Principal, call.Page, call.PageSize, call.Sort, call.Ct) switch
        {
            { Refusal: { } refused } => RefusalProblems.For(refused, "The video"),
            { Value: var list } => TypedResults.Ok(list),
        };

    private static async Task<Results<Ok<VideoDto>, ProblemHttpResult>> Get(
        Guid id, ClaimsPrincipal principal, VideoService videos, CancellationToken ct) =>
        await videos.GetAsync(id, principal, ct) is { } video ? TypedResults.Ok(video) : Problems.NotFound("The video");

    private static async Task<Results<Ok<VideoDto>, ValidationProblem, ProblemHttpResult>> Update([AsParameters] VideoUpdateCall call) =>
        await call.Videos.UpdateAsync(call.Id, call.Body, call.Principal, call.Ct) switch
        {
            { Refusal.Fields: { } fields } => Problems.Validation(fields),
            { Refusal: { } refused } => RefusalProblems.For(refused, "The video"),
            { Value: var video } => TypedResults.Ok(video),
        };

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete([AsParameters] VideoActionCall call) =>
        await call.Videos.DeleteAsync(call.Id, call.Principal, call.Ct) switch
        {
            { Outcome.Result: TransitionResult.Done } => TypedResults.NoContent(),
            var refused => TransitionProblems.For(refused.Outcome, "The video"),
        };

    private static async Task<Results<Accepted<VideoDto>, ProblemHttpResult>> Retry([AsParameters] VideoActionCall call) =>
        Accepted(call.Id, await call.Videos.RetryAsync(call.Id, call.Principal, call.Ct));

    private static async Task<Results<Accepted<VideoDto>, ProblemHttpResult>> Cancel([AsParameters] VideoActionCall call) =>
        Accepted(call.Id, await call.Videos.CancelAsync(call.Id, call.Principal, call.Ct));

    private static Results<Accepted<VideoDto>, ProblemHttpResult> Accepted(Guid id, VideoActionResult result) =>
        result is { Outcome.Result: TransitionResult.Done, Video: { } video }
            ? TypedResults.Accepted($"/api/v1/videos/{id}", video)
            : TransitionProblems.For(result.Outcome, "The video");
}

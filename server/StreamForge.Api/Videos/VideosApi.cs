using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using StreamForge.Api.Infrastructure;
using StreamForge.Core.Data;
using StreamForge.Core.Playback;
using StreamForge.Core.Videos;

namespace StreamForge.Api.Videos;

public sealed record UpdateVideoRequest(string? Title);

public static class VideosApi
{
    public static RouteGroupBuilder MapVideosApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/videos").WithTags("Videos").RequireAuthorization();
        group.MapGet("/", List).WithName("ListVideos").WithSummary("The caller's videos, paged and sorted");
        group.MapGet("/{id:guid}", Get).WithName("GetVideo").WithSummary("One video with probe data, renditions, caption tracks and download endpoints");
        group.MapPatch("/{id:guid}", Update).WithName("UpdateVideo").WithSummary("Rename a video");
        group.MapDelete("/{id:guid}", Delete).WithName("DeleteVideo").WithSummary("Delete a video and its stored media");
        group.MapPost("/{id:guid}/retry", Retry).WithName("RetryVideo").WithSummary("Process a failed video again");
        group.MapPost("/{id:guid}/cancel", Cancel).WithName("CancelVideo").WithSummary("Stop processing a video");
        return group;
    }

    private static async Task<Results<Ok<PagedList<VideoDto>>, ProblemHttpResult>> List(
        ClaimsPrincipal principal, StreamForgeDbContext db, VideoMapper mapper, int? page, int? pageSize, string? sort, CancellationToken ct)
    {
        if (sort is not null && !VideoQueries.Sorts.Contains(sort))
            return Problems.BadRequest($"sort must be one of {string.Join(", ", VideoQueries.Sorts)}.");
        if (Paging.Check(page) is { } badPage) return badPage;
        // The library shows the caller's own videos, admins included; the admin view lists everyone's.
        var own = db.Videos.Where(v => v.OwnerId == principal.UserId());
        return TypedResults.Ok(await own.Sorted(sort).PageAsync(page, pageSize, mapper, ct));
    }

    private static async Task<Results<Ok<VideoDto>, ProblemHttpResult>> Get(
        Guid id, ClaimsPrincipal principal, StreamForgeDbContext db, VideoMapper mapper, MediaUrls urls, CancellationToken ct)
    {
        var video = await db.Videos.AsNoTracking().Include(v => v.Owner).VisibleTo(principal).SingleOrDefaultAsync(v => v.Id == id, ct);
        if (video is null) return Problems.NotFound("The video");
        var captions = await db.Captions.AsNoTracking().Where(c => c.VideoId == id).OrderBy(c => c.Lang).ToListAsync(ct);
        var completed = await db.UploadSessions.AnyAsync(s => s.VideoId == id && s.State == UploadState.Completed, ct);
        return TypedResults.Ok(mapper.ToDetailDto(video, captions, completed, urls));
    }

    private static async Task<Results<Ok<VideoDto>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, UpdateVideoRequest body, ClaimsPrincipal principal, StreamForgeDbContext db, VideoMapper mapper, TimeProvider clock, CancellationToken ct)
    {
        var video = await db.Videos.Include(v => v.Owner).VisibleTo(principal).SingleOrDefaultAsync(v => v.Id == id, ct);
        if (video is null) return Problems.NotFound("The video");
        if (InputRules.CheckTitle(body.Title) is { } problem) return Problems.Validation(new() { ["title"] = [problem] });
        video.Title = body.Title!.Trim();
        video.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(mapper.ToDto(video));
    }

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

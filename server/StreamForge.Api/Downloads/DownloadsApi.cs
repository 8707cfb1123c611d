using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using StreamForge.Api.Infrastructure;
using StreamForge.Api.Keys;

namespace StreamForge.Api.Downloads;

/// <summary>Owner and admin downloads of a video. Rules live in <see cref="DownloadService"/>; this maps its outcomes to HTTP.</summary>
public static class DownloadsApi
{
    public static RouteGroupBuilder MapDownloadsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/videos/{id:guid}/downloads").WithTags("Downloads").RequireAuthorization();
        group.MapGet("/original", Original).WithName("DownloadOriginal").RequireScope(ApiScopes.VideosRead)
            .WithSummary("A short-lived link that downloads the uploaded file under its original name")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{rendition}", Rendition).WithName("DownloadRendition").RequireScope(ApiScopes.VideosWrite)
            .WithSummary("An MP4 of one rendition: 202 while it is being made (ask again), 200 with a link once it exists")
            .WithDescription("rendition is a rung id from the video's renditions (720p). The first request starts one remux (no re-encode); concurrent and later requests share it.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    private static async Task<Results<Ok<DownloadDto>, ProblemHttpResult>> Original(
        Guid id, ClaimsPrincipal principal, DownloadService downloads, CancellationToken ct) =>
        await downloads.OriginalAsync(id, principal, ct) switch
        {
            { Kind: DownloadOutcomeKind.Ready, Download: { } ready } => TypedResults.Ok(ready),
            var other => Problem(other),
        };

    private static async Task<Results<Ok<DownloadDto>, Accepted<DownloadDto>, ProblemHttpResult>> Rendition([AsParameters] RenditionDownloadCall call) =>
        await call.Downloads.RenditionAsync(call.Id, call.Rendition, call.Principal, call.Ct) switch
        {
            { Kind: DownloadOutcomeKind.Ready, Download: { } ready } => TypedResults.Ok(ready),
            { Kind: DownloadOutcomeKind.Preparing, Download: { } preparing } =>
                TypedResults.Accepted($"/api/v1/videos/{call.Id}/downloads/{Uri.EscapeDataString(call.Rendition)}", preparing),
            var other => Problem(other),
        };

    private static ProblemHttpResult Problem(DownloadOutcome outcome) => outcome.Kind switch
    {
        DownloadOutcomeKind.VideoNotFound => Problems.NotFound("The video"),
        DownloadOutcomeKind.RenditionNotFound => Problems.NotFound(outcome.Reason!),
        DownloadOutcomeKind.Unavailable => Problems.Conflict(outcome.Reason!),
        _ => throw new InvalidOperationException($"Download outcome {outcome.Kind} has no problem mapping."),
    };
}

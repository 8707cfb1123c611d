using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using StreamForge.Api.Infrastructure;
using StreamForge.Api.Keys;
using StreamForge.Core.Videos;

namespace StreamForge.Api.Captions;

/// <summary>Caption tracks of a ready video, one per language. Rules live in <see cref="CaptionService"/>; this maps its outcomes to HTTP.</summary>
public static class CaptionsApi
{
    public static RouteGroupBuilder MapCaptionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/videos/{id:guid}/captions").WithTags("Captions").RequireAuthorization();
        group.MapGet("/", List).WithName("ListCaptions").WithSummary("The video's caption tracks").RequireScope(ApiScopes.VideosRead)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{lang}", Put).WithName("PutCaptions").RequireScope(ApiScopes.VideosWrite)
            .WithSummary("Add or replace the captions of one language (body: a WebVTT or SRT file, UTF-8)")
            .WithDescription("lang is a BCP-47 tag (en, pt-BR); label (query) is what the player's menu shows, the language tag when left out. The video must be ready.")
            // "*/*" keeps the declared types documentary: browsers label .srt files inconsistently (or not at
            // all), and the converter, not the Content-Type, decides what the bytes are.
            .Accepts<string>("text/vtt", "application/x-subrip", "text/plain", "*/*")
            // 400 is declared by ValidationProblem (an unreadable file is a plain problem on the same status).
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413RequestEntityTooLarge);
        group.MapDelete("/{lang}", Delete).WithName("DeleteCaptions").WithSummary("Remove the captions of one language").RequireScope(ApiScopes.VideosWrite)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    private static async Task<Results<Ok<List<CaptionTrackDto>>, ProblemHttpResult>> List(
        Guid id, ClaimsPrincipal principal, CaptionService captions, CancellationToken ct) =>
        await captions.ListAsync(id, principal, ct) is { } tracks ? TypedResults.Ok(tracks) : Problems.NotFound("The video");

    private static async Task<Results<Ok<CaptionTrackDto>, ValidationProblem, ProblemHttpResult>> Put([AsParameters] PutCaptionsRequest put) =>
        await put.Captions.PutAsync(put.Id, put.Lang, put.Label, put.Request.Body, put.Request.ContentLength, put.Principal, put.Ct) switch
        {
            { Kind: CaptionOutcomeKind.Saved, Track: { } track } => TypedResults.Ok(track),
            { Kind: CaptionOutcomeKind.InvalidField } invalid => Problems.Validation(new() { [invalid.Field!] = [invalid.Reason!] }),
            var other => Problem(other),
        };

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete([AsParameters] CaptionDeleteCall call) =>
        await call.Captions.DeleteAsync(call.Id, call.Lang, call.Principal, call.Ct) switch
        {
            { Kind: CaptionOutcomeKind.Removed } => TypedResults.NoContent(),
            var other => Problem(other),
        };

    private static ProblemHttpResult Problem(CaptionOutcome outcome) => outcome.Kind switch
    {
        CaptionOutcomeKind.VideoNotFound => Problems.NotFound("The video"),
        CaptionOutcomeKind.TrackNotFound => Problems.NotFound("The caption track"),
        CaptionOutcomeKind.InvalidFile => Problems.BadRequest(outcome.Reason!),
        CaptionOutcomeKind.TooLarge => Problems.TooLarge(outcome.Reason!),
        CaptionOutcomeKind.Conflict => Problems.Conflict(outcome.Reason!),
        _ => throw new InvalidOperationException($"Caption outcome {outcome.Kind} has no problem mapping."),
    };
}

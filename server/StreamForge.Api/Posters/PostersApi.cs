using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using StreamForge.Api.Infrastructure;
using StreamForge.Api.Keys;

namespace StreamForge.Api.Posters;

/// <summary>The poster of a ready video, chosen by its owner. Rules live in <see cref="PosterService"/>; this maps its outcomes to HTTP.</summary>
public static class PostersApi
{
    public static RouteGroupBuilder MapPostersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/videos/{id:guid}/poster").WithTags("Posters").RequireAuthorization();
        group.MapGet("/", Get).WithName("GetPoster").WithSummary("The video's poster and the state of the latest choice").RequireScope(ApiScopes.VideosRead)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/", PutFrame).WithName("PutPoster").RequireScope(ApiScopes.VideosWrite)
            .WithSummary("Choose the poster from a thumbnail tile ({fromSprite: n}) or a time ({atSeconds: t})")
            .WithDescription("A worker cuts the frame from the highest rendition and publishes it under a new key; 202, then GET the poster (or the video) until status is ready or failed. The video must be ready.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPut("/image", PutImage).WithName("PutPosterImage").RequireScope(ApiScopes.VideosWrite)
            .WithSummary("Upload the poster (body: a JPEG or PNG image)")
            .WithDescription("At most 5 MB and 4096×4096 by default. A worker decodes and re-encodes it as a JPEG no wider than the video's poster; 202, then GET the poster until status is ready or failed. The video must be ready.")
            // "*/*" keeps the framework from answering other types with its JSON-only 415; the service refuses them
            // with a problem that names the two types, and the bytes, not the header, decide what the image is.
            .Accepts<byte[]>("image/jpeg", "image/png", "*/*")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413RequestEntityTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return group;
    }

    private static async Task<Results<Ok<PosterDto>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal principal, PosterService posters, CancellationToken ct) =>
        await posters.GetAsync(id, principal, ct) is { } poster ? TypedResults.Ok(poster) : Problems.NotFound("The video");

    private static async Task<Results<Accepted<PosterDto>, ValidationProblem, ProblemHttpResult>> PutFrame(
        Guid id, SetPosterRequest request, ClaimsPrincipal principal, PosterService posters, CancellationToken ct) =>
        Map(id, await posters.ChooseFrameAsync(id, request, principal, ct));

    private static async Task<Results<Accepted<PosterDto>, ValidationProblem, ProblemHttpResult>> PutImage([AsParameters] PutPosterImageRequest put) =>
        Map(put.Id, await put.Posters.ChooseImageAsync(put.Id, put.Request.Body, put.Request.ContentLength, put.Request.ContentType, put.Principal, put.Ct));

    private static Results<Accepted<PosterDto>, ValidationProblem, ProblemHttpResult> Map(Guid id, PosterOutcome outcome) => outcome switch
    {
        { Kind: PosterOutcomeKind.Accepted, Poster: { } poster } => TypedResults.Accepted($"/api/v1/videos/{id}/poster", poster),
        { Kind: PosterOutcomeKind.InvalidField } invalid => Problems.Validation(new() { [invalid.Field!] = [invalid.Reason!] }),
        { Kind: PosterOutcomeKind.VideoNotFound } => Problems.NotFound("The video"),
        { Kind: PosterOutcomeKind.InvalidImage } bad => Problems.BadRequest(bad.Reason!),
        { Kind: PosterOutcomeKind.TooLarge } big => Problems.TooLarge(big.Reason!),
        { Kind: PosterOutcomeKind.UnsupportedType } type => Problems.Create(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type", type.Reason!),
        { Kind: PosterOutcomeKind.Conflict } conflict => Problems.Conflict(conflict.Reason!),
        _ => throw new InvalidOperationException($"Poster outcome {outcome.Kind} has no problem mapping."),
    };
}

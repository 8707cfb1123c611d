using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using StreamForge.Api.DirectUploads;
using StreamForge.Api.Infrastructure;
using StreamForge.Api.Keys;
using StreamForge.Api.Videos;
using StreamForge.Core.Videos;

namespace StreamForge.Api.Uploads;

/// <summary>The resumable upload protocol: the server signs, records and completes; bytes go to storage. Rules live in <see cref="UploadService"/>.</summary>
public static class UploadsApi
{
    public static RouteGroupBuilder MapUploadsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/uploads").WithTags("Uploads").RequireAuthorization().RequireScope(ApiScopes.UploadsWrite);
        // The resumable protocol is also open to an upload link's token (for its own upload only); nothing else here is.
        var protocol = group.MapGroup("").AllowDirectUpload();
        protocol.MapPost("/", Create).WithName("CreateUpload").WithSummary("Start an upload: reserves quota, returns single PUT URL or multipart plan");
        protocol.MapGet("/{videoId:guid}", Status).WithName("GetUpload").WithSummary("Resume state: parts recorded with their ETags");
        protocol.MapPost("/{videoId:guid}/parts/sign", Sign).WithName("SignParts").WithSummary("Presign part URLs, lazily and in batches");
        protocol.MapPut("/{videoId:guid}/parts/{partNumber:int}", RecordPart).WithName("RecordPart").WithSummary("Record a sent part's ETag");
        protocol.MapPost("/{videoId:guid}/complete", Complete).WithName("CompleteUpload").WithSummary("Assemble the object, verify its size, enqueue processing (idempotent)");
        protocol.MapDelete("/{videoId:guid}", Abort).WithName("AbortUpload").WithSummary("Abort the upload and release its quota");
        group.MapUrlImport();
        return group;
    }

    private static async Task<Results<Created<UploadCreated>, ValidationProblem, ProblemHttpResult>> Create([AsParameters] CreateUploadCall call) =>
        await (call.Principal.IsDirectUpload()
            ? call.DirectUploads.CreateUploadAsync(call.Body, call.Principal, call.Auth.Value.RequireEmailConfirmation, call.Ct)
            : call.Uploads.CreateAsync(call.Body, call.Principal, call.Auth.Value.RequireEmailConfirmation, call.Ct)) switch
        {
            { Error: { Fields: { } fields } } => Problems.Validation(fields),
            { Error: { } error } => Problem(error),
            { Value: var created } => TypedResults.Created($"/api/v1/uploads/{created!.VideoId}", created),
        };

    private static async Task<Results<Ok<UploadStatus>, ProblemHttpResult>> Status(
        Guid videoId, ClaimsPrincipal principal, UploadService uploads, CancellationToken ct) =>
        await uploads.StatusAsync(videoId, principal, ct) switch
        {
            { Error: { } error } => Problem(error),
            { Value: var status } => TypedResults.Ok(status),
        };

    private static async Task<Results<Ok<SignedPart[]>, ProblemHttpResult>> Sign([AsParameters] SignPartsCall call) =>
        await call.Uploads.SignAsync(call.VideoId, call.Body, call.Principal, call.Ct) switch
        {
            { Error: { } error } => Problem(error),
            { Value: var signed } => TypedResults.Ok(signed),
        };

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> RecordPart([AsParameters] RecordPartCall call) =>
        await call.Uploads.RecordPartAsync(call.VideoId, call.PartNumber, call.Body, call.Principal, call.Ct) switch
        {
            { Fields: { } fields } => Problems.Validation(fields),
            { } error => Problem(error),
            null => TypedResults.NoContent(),
        };

    private static async Task<Results<Accepted<VideoDto>, ProblemHttpResult>> Complete(
        Guid videoId, ClaimsPrincipal principal, UploadService uploads, CancellationToken ct) =>
        await uploads.CompleteAsync(videoId, principal, ct) switch
        {
            { Error: { } error } => Problem(error),
            { Value: var video } => TypedResults.Accepted($"/api/v1/videos/{videoId}", video),
        };

    private static async Task<Results<NoContent, ProblemHttpResult>> Abort(
        Guid videoId, ClaimsPrincipal principal, UploadService uploads, CancellationToken ct) =>
        await uploads.AbortAsync(videoId, principal, ct) is { } error ? Problem(error) : TypedResults.NoContent();

    /// <summary>The one table from a refused upload request to its RFC 9457 answer.</summary>
    internal static ProblemHttpResult Problem(UploadError e) => e.Kind switch
    {
        UploadErrorKind.Invalid or UploadErrorKind.BadRequest => Problems.BadRequest(e.Detail),
        UploadErrorKind.EmailUnconfirmed => Problems.Create(StatusCodes.Status403Forbidden, "email-unconfirmed", "Email address not confirmed", e.Detail),
        UploadErrorKind.QuotaExceeded => Problems.QuotaExceeded(e.Detail),
        UploadErrorKind.NotFound => Problems.NotFound("The upload"),
        UploadErrorKind.PartsMissing => Problems.Create(StatusCodes.Status409Conflict, "parts-missing", "Parts missing", e.Detail,
            new Dictionary<string, object?> { ["missingParts"] = e.MissingParts }),
        UploadErrorKind.SizeMismatch => Problems.Create(StatusCodes.Status409Conflict, "size-mismatch", "Uploaded file has the wrong size", e.Detail),
        UploadErrorKind.Gone => Problems.Gone(e.Detail),
        UploadErrorKind.TooLarge => Problems.TooLarge(e.Detail),
        UploadErrorKind.TooMany => Problems.Create(StatusCodes.Status429TooManyRequests, "too-many-imports", "Too many imports at once", e.Detail),
        _ => Problems.Conflict(e.Detail),
    };
}

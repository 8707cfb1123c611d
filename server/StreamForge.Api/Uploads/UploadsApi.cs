using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using StreamForge.Api.Auth;
using StreamForge.Api.Videos;

namespace StreamForge.Api.Uploads;

/// <summary>The resumable upload protocol: the server signs, records and completes; bytes go to storage. Rules live in <see cref="UploadService"/>.</summary>
public static class UploadsApi
{
    public static RouteGroupBuilder MapUploadsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/uploads").WithTags("Uploads").RequireAuthorization();
        group.MapPost("/", Create).WithName("CreateUpload").WithSummary("Start an upload: reserves quota, returns single PUT URL or multipart plan");
        group.MapGet("/{videoId:guid}", Status).WithName("GetUpload").WithSummary("Resume state: parts recorded with their ETags");
        group.MapPost("/{videoId:guid}/parts/sign", Sign).WithName("SignParts").WithSummary("Presign part URLs, lazily and in batches");
        group.MapPut("/{videoId:guid}/parts/{partNumber:int}", RecordPart).WithName("RecordPart").WithSummary("Record a sent part's ETag");
        group.MapPost("/{videoId:guid}/complete", Complete).WithName("CompleteUpload").WithSummary("Assemble the object, verify its size, enqueue processing (idempotent)");
        group.MapDelete("/{videoId:guid}", Abort).WithName("AbortUpload").WithSummary("Abort the upload and release its quota");
        return group;
    }

    private static Task<Results<Created<UploadCreated>, ValidationProblem, ProblemHttpResult>> Create(
        CreateUploadRequest body, ClaimsPrincipal principal, UploadService uploads, IOptions<AuthOptions> auth, CancellationToken ct) =>
        uploads.CreateAsync(body, principal, auth.Value.RequireEmailConfirmation, ct);

    private static Task<Results<Ok<UploadStatus>, ProblemHttpResult>> Status(
        Guid videoId, ClaimsPrincipal principal, UploadService uploads, CancellationToken ct) =>
        uploads.StatusAsync(videoId, principal, ct);

    private static Task<Results<Ok<SignedPart[]>, ProblemHttpResult>> Sign(
        Guid videoId, SignPartsRequest body, ClaimsPrincipal principal, UploadService uploads, CancellationToken ct) =>
        uploads.SignAsync(videoId, body, principal, ct);

    private static Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> RecordPart(
        Guid videoId, int partNumber, RecordPartRequest body, ClaimsPrincipal principal, UploadService uploads, CancellationToken ct) =>
        uploads.RecordPartAsync(videoId, partNumber, body, principal, ct);

    private static Task<Results<Accepted<VideoDto>, ProblemHttpResult>> Complete(
        Guid videoId, ClaimsPrincipal principal, UploadService uploads, CancellationToken ct) =>
        uploads.CompleteAsync(videoId, principal, ct);

    private static Task<Results<NoContent, ProblemHttpResult>> Abort(
        Guid videoId, ClaimsPrincipal principal, UploadService uploads, CancellationToken ct) =>
        uploads.AbortAsync(videoId, principal, ct);
}

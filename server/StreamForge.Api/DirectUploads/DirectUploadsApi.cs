using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using StreamForge.Api.Infrastructure;
using StreamForge.Api.Keys;
using StreamForge.Api.Uploads;

namespace StreamForge.Api.DirectUploads;

/// <summary>Upload links for third parties: made by the account (session or a key with uploads:write), used with the upload protocol.</summary>
public static class DirectUploadsApi
{
    public static RouteGroupBuilder MapDirectUploadsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/direct-uploads").WithTags("Direct uploads").RequireAuthorization().RequireScope(ApiScopes.UploadsWrite);
        group.MapPost("/", Create).WithName("CreateDirectUpload")
            .WithSummary("Make a one-time upload link: its token (shown once) uploads one video into this account");
        group.MapGet("/", List).WithName("ListDirectUploads").WithSummary("The account's upload links (newest 100) with their status, without tokens");
        group.MapDelete("/{id:guid}", Revoke).WithName("RevokeDirectUpload").WithSummary("Revoke an unused upload link");
        return group;
    }

    private static async Task<Results<Created<DirectUploadCreated>, ValidationProblem, ProblemHttpResult>> Create(
        CreateDirectUploadRequest body, ClaimsPrincipal principal, HttpRequest request, DirectUploadService links, CancellationToken ct) =>
        await links.CreateAsync(body, principal, request, ct) switch
        {
            { Error: { Fields: { } fields } } => Problems.Validation(fields),
            { Error: { } error } => UploadsApi.Problem(error),
            { Value: var created } => TypedResults.Created($"/api/v1/direct-uploads/{created!.Id}", created),
        };

    private static async Task<Ok<List<DirectUploadDto>>> List(ClaimsPrincipal principal, DirectUploadService links, CancellationToken ct) =>
        TypedResults.Ok(await links.ListAsync(principal, ct));

    private static async Task<Results<NoContent, ProblemHttpResult>> Revoke(Guid id, ClaimsPrincipal principal, DirectUploadService links, CancellationToken ct) =>
        await links.RevokeAsync(id, principal, ct) switch
        {
            { Kind: UploadErrorKind.NotFound } => Problems.NotFound("The upload link"),
            { } error => UploadsApi.Problem(error),
            null => TypedResults.NoContent(),
        };
}

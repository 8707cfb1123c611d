using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using StreamForge.Api.Infrastructure;

namespace StreamForge.Api.Keys;

/// <summary>
/// An account's API keys. No scope on these routes: only a signed-in session manages keys, so a leaked key cannot
/// mint more keys or outlive its own revocation.
/// </summary>
public static class KeysApi
{
    public static RouteGroupBuilder MapKeysApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/keys").WithTags("API keys").RequireAuthorization();
        group.MapPost("/", Create).WithName("CreateApiKey")
            .WithSummary("Make an API key with a name and scopes; the key is in this response only");
        group.MapGet("/", List).WithName("ListApiKeys").WithSummary("The account's API keys (never their secrets), with their last use");
        group.MapDelete("/{id:guid}", Revoke).WithName("RevokeApiKey").WithSummary("Revoke an API key; it stops working at once")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Created<ApiKeyCreated>, ValidationProblem, ProblemHttpResult>> Create(
        CreateApiKeyRequest body, ClaimsPrincipal principal, ApiKeyService keys, CancellationToken ct) =>
        await keys.CreateAsync(principal, body, ct) switch
        {
            { Refusal.Fields: { } fields } => Problems.Validation(fields),
            { Refusal: { } refused } => RefusalProblems.For(refused, "The account"),
            { Value: var created } => TypedResults.Created($"/api/v1/keys/{created!.Id}", created),
        };

    private static async Task<Ok<List<ApiKeyDto>>> List(ClaimsPrincipal principal, ApiKeyService keys, CancellationToken ct) =>
        TypedResults.Ok(await keys.ListAsync(principal, ct));

    private static async Task<Results<NoContent, ProblemHttpResult>> Revoke(Guid id, ClaimsPrincipal principal, ApiKeyService keys, CancellationToken ct) =>
        await keys.RevokeAsync(id, principal, ct) ? TypedResults.NoContent() : Problems.NotFound("The API key");
}

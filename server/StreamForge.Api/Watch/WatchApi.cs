using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using StreamForge.Api.Auth;
using StreamForge.Api.Infrastructure;
using StreamForge.Api.Keys;
using StreamForge.Api.Videos;
using StreamForge.Core.Playback;

namespace StreamForge.Api.Watch;

/// <summary>Watching: a video as a viewer sees it, the public list, share links, and the origin of private media.</summary>
public static class WatchApi
{
    public static IServiceCollection AddStreamForgeWatch(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<RequestMediaAccess>();
        services.AddSingleton<IMediaAccessContext>(sp => sp.GetRequiredService<RequestMediaAccess>());
        services.AddScoped<ShareLinks>();
        services.AddScoped<WatchService>();
        return services;
    }

    public static void MapWatchApi(this WebApplication app)
    {
        // Anonymous, but the caller's session or key counts when there is one (owners and admins see private videos).
        var watch = app.MapGroup("/api/v1/watch").WithTags("Watch").AllowAnonymous().RequireRateLimiting(AuthSetup.WatchRateLimit);
        watch.MapGet("/", List).WithName("ListWatch").WithSummary("Public ready videos, newest first (anonymous)");
        watch.MapGet("/{id:guid}", Get).WithName("GetWatch")
            .WithSummary("A video as a viewer sees it (anonymous; private videos need the owner, an admin or ?share=)");

        var shares = app.MapGroup("/api/v1/videos/{id:guid}/share-links").WithTags("Videos").RequireAuthorization();
        shares.MapPost("/", CreateShare).WithName("CreateShareLink").WithSummary("A link that lets anyone holding it watch the private video until it expires").RequireScope(ApiScopes.VideosWrite);
        shares.MapGet("/", ListShares).WithName("ListShareLinks").WithSummary("The video's share links (tokens are never shown again)").RequireScope(ApiScopes.VideosRead);
        shares.MapDelete("/{linkId:guid}", RevokeShare).WithName("RevokeShareLink").WithSummary("Revoke a share link").RequireScope(ApiScopes.VideosWrite);

        app.MapMethods(MediaOrigin.Route, [HttpMethods.Get, HttpMethods.Head], MediaOrigin.ServeAsync)
            .WithTags("Watch").WithName("GetPrivateMedia")
            .WithSummary("A file of private media, with a playback token in the path (anonymous; the CDN's origin)")
            .AllowAnonymous().WithMetadata(IgnoresCallerIdentity.Instance).RequireRateLimiting(AuthSetup.MediaRateLimit);
    }

    private static async Task<Results<Ok<WatchDto>, ProblemHttpResult>> Get(Guid id, string? share, HttpContext context, WatchService watch, CancellationToken ct) =>
        await watch.GetAsync(id, share, context, ct) switch
        {
            { Video: { } video } => TypedResults.Ok(video),
            { IsPrivate: true } => Problems.Create(StatusCodes.Status403Forbidden, "video-private", "This video is private",
                "Only its owner, an admin or someone with a valid share link can watch it."),
            _ => Problems.NotFound("The video"),
        };

    private static async Task<Results<Ok<PagedList<WatchDto>>, ProblemHttpResult>> List(int? page, int? pageSize, WatchService watch, CancellationToken ct) =>
        await watch.ListPublicAsync(page, pageSize, ct) switch
        {
            { Refusal: { } refused } => RefusalProblems.For(refused, "The page"),
            { Value: var list } => TypedResults.Ok(list),
        };

    private static async Task<Results<Created<ShareLinkCreated>, ValidationProblem, ProblemHttpResult>> CreateShare(
        Guid id, CreateShareLinkRequest? body, ClaimsPrincipal principal, HttpRequest request, ShareLinks links, CancellationToken ct) =>
        await links.CreateAsync(id, body ?? new CreateShareLinkRequest(null), principal, request, ct) switch
        {
            { Refusal.Fields: { } fields } => Problems.Validation(fields),
            { Refusal: { } refused } => RefusalProblems.For(refused, "The video"),
            { Value: var created } => TypedResults.Created($"/api/v1/videos/{id}/share-links", created),
        };

    private static async Task<Results<Ok<List<ShareLinkDto>>, ProblemHttpResult>> ListShares(Guid id, ClaimsPrincipal principal, ShareLinks links, CancellationToken ct) =>
        await links.ListAsync(id, principal, ct) is { } list ? TypedResults.Ok(list) : Problems.NotFound("The video");

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeShare(Guid id, Guid linkId, ClaimsPrincipal principal, ShareLinks links, CancellationToken ct) =>
        await links.RevokeAsync(id, linkId, principal, ct) ? TypedResults.NoContent() : Problems.NotFound("The share link");
}

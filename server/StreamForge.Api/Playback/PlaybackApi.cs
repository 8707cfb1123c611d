using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Api.Auth;
using StreamForge.Api.Infrastructure;
using StreamForge.Api.Keys;
using StreamForge.Core.Data;
using StreamForge.Core.Observability;

namespace StreamForge.Api.Playback;

/// <summary>Player QoE: the beacon intake, a video's figures for its owner, and the admin overview.</summary>
public static class PlaybackApi
{
    public static IServiceCollection AddStreamForgePlayback(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PlaybackOptions>().Bind(configuration.GetSection(PlaybackOptions.Section));
        services.AddScoped<ViewReportService>();
        services.AddScoped<QoeQueries>();
        services.AddSingleton<PlaybackStats>();
        return services;
    }

    public static void MapPlaybackApi(this WebApplication app)
    {
        var stats = app.Services.GetRequiredService<PlaybackStats>();
        app.Services.GetRequiredService<StreamForgeMetrics>().ObservePlaybackRebufferRatio(stats.RebufferRatio);

        // Anonymous and identity-blind: the handler reads no user, so the cookie a signed-in page sends along with
        // its beacon means nothing here, and sendBeacon cannot send the CSRF header.
        app.MapPost("/api/v1/views", Report).WithTags("Playback").WithName("ReportViews")
            .WithSummary("Player QoE beacon: cumulative figures per view (anonymous; the latest report of a view wins)")
            .Accepts<ViewReportBatch>("application/json", "text/plain")
            .AllowAnonymous().WithMetadata(IgnoresCallerIdentity.Instance)
            .RequireRateLimiting(AuthSetup.ViewReportRateLimit);
        app.MapGet("/api/v1/videos/{id:guid}/qoe", ForVideo).WithTags("Videos").WithName("GetVideoQoe")
            .WithSummary("Playback quality of one video over the last 24 h or 7 days (owner or admin)")
            .RequireAuthorization().RequireScope(ApiScopes.VideosRead);
        app.MapGet("/api/v1/admin/qoe", Overview).WithTags("Admin").WithName("AdminQoe")
            .WithSummary("Playback quality of every video over a window, and the videos that played worst")
            .RequireAuthorization(AuthSetup.AdminPolicy);
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Report(
        HttpRequest request, ViewReportService views, IOptions<PlaybackOptions> options, CancellationToken ct)
    {
        var cap = options.Value.MaxReportBytes;
        var mediaType = request.ContentType?.Split(';')[0].Trim();
        // sendBeacon with a string body sends text/plain; both carry the same JSON.
        if (!string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase) && !string.Equals(mediaType, "text/plain", StringComparison.OrdinalIgnoreCase))
            return Problems.Create(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type", "Send the report as application/json (or text/plain carrying JSON).");
        if (request.ContentLength > cap) return TooLarge(cap);
        var body = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, ct)) > 0)
        {
            body.Write(buffer, 0, read);
            if (body.Length > cap) return TooLarge(cap);
        }
        ViewReportBatch? batch;
        try
        {
            batch = JsonSerializer.Deserialize<ViewReportBatch>(body.ToArray(), ViewReportRules.Json);
        }
        catch (JsonException e)
        {
            return Problems.BadRequest($"The report is not valid JSON for this endpoint: {e.Message}");
        }
        if (ViewReportRules.Validate(batch) is { Count: > 0 } errors) return Problems.Validation(errors);
        var reports = batch!.Views!;
        var playable = await views.PlayableAsync(reports.Select(v => v.VideoId), ct);
        if (reports.FirstOrDefault(v => !playable.Contains(v.VideoId)) is { } unknown)
            return Problems.NotFound($"The video {unknown.VideoId}");
        await views.StoreAsync(reports, ct);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult TooLarge(int cap) =>
        Problems.Create(StatusCodes.Status413RequestEntityTooLarge, "report-too-large", "Report too large", $"A view report may be at most {cap} bytes.");

    private static async Task<Results<Ok<QoeSummary>, ProblemHttpResult>> ForVideo(
        Guid id, string? window, ClaimsPrincipal principal, StreamForgeDbContext db, QoeQueries qoe, CancellationToken ct)
    {
        if (ViewReportRules.Window(window) is not { } span) return Problems.BadRequest("window must be 24h or 7d.");
        var owner = await db.Videos.Where(v => v.Id == id).Select(v => (Guid?)v.OwnerId).FirstOrDefaultAsync(ct);
        if (owner is null || owner != principal.UserId() && !principal.IsAdmin()) return Problems.NotFound("The video");
        return TypedResults.Ok(await qoe.ForVideoAsync(id, window is null or "" ? "24h" : window, span, ct));
    }

    private static async Task<Results<Ok<QoeOverview>, ProblemHttpResult>> Overview(string? window, QoeQueries qoe, CancellationToken ct) =>
        ViewReportRules.Window(window) is { } span
            ? TypedResults.Ok(await qoe.OverviewAsync(window is null or "" ? "24h" : window, span, ct))
            : Problems.BadRequest("window must be 24h or 7d.");
}

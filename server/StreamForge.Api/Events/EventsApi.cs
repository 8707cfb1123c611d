using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using StreamForge.Api.Auth;
using StreamForge.Api.Infrastructure;
using StreamForge.Api.Keys;
using StreamForge.Core.Data;
using StreamForge.Core.Events;

namespace StreamForge.Api.Events;

public static class EventsApi
{
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(15);

    public static void MapEventsApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/events", Stream).WithTags("Events").RequireAuthorization().RequireScope(ApiScopes.VideosRead)
            .WithName("Events").WithSummary("Server-sent video status and progress events (owner's videos; admins see all)");

    private static Results<ServerSentEventsResult<VideoEvent?>, ProblemHttpResult> Stream([AsParameters] EventStreamCall call)
    {
        var (principal, hub, limiter, options, sessions, keys, http, urls, access) = call;
        var userId = principal.UserId();
        var slot = limiter.TryEnter(userId, options.Value.MaxStreamsPerUser);
        if (slot is null)
            return Problems.Create(StatusCodes.Status429TooManyRequests, "too-many-streams", "Too many event streams",
                $"This account already has {options.Value.MaxStreamsPerUser} event streams open; close a tab or window and try again.");
        // Released when the request ends however it ends, even if the stream is never started.
        http.Response.RegisterForDispose(slot);
        var admin = principal.IsAdmin();
        // Proxies (nginx) must not buffer the stream.
        http.Response.Headers["X-Accel-Buffering"] = "no";
        var stillValid = new SessionRecheck(principal, admin, sessions, keys, options.Value.SessionCheckInterval);
        // A playable event of private media names its stored (unsigned) manifest: signed here for this subscriber.
        var viewer = access.Current;
        VideoEvent Signed(VideoEvent e) =>
            viewer is null || e.ManifestUrl is null ? e : e with { ManifestUrl = urls.SignStored(e.ManifestUrl, e.VideoId, viewer) };
        return TypedResults.ServerSentEvents(Read(hub.Subscribe(e => admin || e.OwnerId == userId), stillValid, Signed, http.RequestAborted));
    }

    /// <summary>
    /// The stream was authorised once, when it opened; it carries on only while the session stands with the role it
    /// opened with (a demoted admin must stop receiving everyone's events; a reconnect gets the new filter). A stream
    /// opened with an API key carries on while the key stands (revoked, or its account deleted, ends it).
    /// </summary>
    private sealed class SessionRecheck(ClaimsPrincipal principal, bool admin, SessionValidator sessions, ApiKeyService keys, TimeSpan interval)
    {
        public TimeSpan Interval => interval;

        public async Task<bool> StandsAsync(CancellationToken ct) => CallerKinds.Of(principal) == CallerKinds.ApiKey
            ? Guid.TryParse(principal.FindFirstValue(CallerKinds.KeyIdClaim), out var keyId) && await keys.StandsAsync(keyId, ct)
            : await sessions.ProblemAsync(principal, ct) is null
            && await sessions.CurrentRoleAsync(principal, ct) is { } role
            && (role == Roles.Admin) == admin;
    }

    /// <summary>
    /// The SSE event type: "playable" for the announcement that a processing video can be watched from growing media
    /// (the only event that carries a manifest URL), "video" for every other change.
    /// </summary>
    public static string EventType(VideoEvent e) =>
        e.ManifestUrl is not null && e.Status == VideoStatus.Processing.ToWire() ? "playable" : "video";

    private static async IAsyncEnumerable<SseItem<VideoEvent?>> Read(
        VideoEventHub.Subscription sub, SessionRecheck session, Func<VideoEvent, VideoEvent> sign, [EnumeratorCancellation] CancellationToken ct)
    {
        using var _ = sub;
        // The first item tells the browser the stream is open, so it re-reads state after a reconnect.
        yield return new SseItem<VideoEvent?>(null, "ready");
        long id = 0;
        var lastSent = DateTime.UtcNow;
        var lastCheck = DateTime.UtcNow;
        while (!ct.IsCancellationRequested)
        {
            var untilPing = lastSent + PingInterval - DateTime.UtcNow;
            var untilCheck = lastCheck + session.Interval - DateTime.UtcNow;
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(TimeSpan.FromTicks(Math.Max(1, Math.Min(untilPing.Ticks, untilCheck.Ticks))));
            VideoEvent? next = null;
            try
            {
                if (await sub.Channel.Reader.WaitToReadAsync(wait.Token)) sub.Channel.Reader.TryRead(out next);
                else yield break;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
            if (DateTime.UtcNow - lastCheck >= session.Interval)
            {
                lastCheck = DateTime.UtcNow;
                bool stands;
                try { stands = await session.StandsAsync(ct); }
                catch (OperationCanceledException) { yield break; }
                // The database is unreachable (a restart): the stream was authorised when it opened and is asked
                // again at the next interval, rather than every open stream dropping with the database.
                catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException) { stands = true; }
                if (!stands) yield break;
            }
            if (next is not null)
            {
                lastSent = DateTime.UtcNow;
                var signed = sign(next);
                yield return new SseItem<VideoEvent?>(signed, EventType(next)) { EventId = (++id).ToString() };
            }
            else if (DateTime.UtcNow - lastSent >= PingInterval)
            {
                lastSent = DateTime.UtcNow;
                yield return new SseItem<VideoEvent?>(null, "ping");
            }
        }
    }
}

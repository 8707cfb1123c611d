using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using StreamForge.Api.Infrastructure;
using StreamForge.Core.Events;

namespace StreamForge.Api.Events;

public static class EventsApi
{
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(15);

    public static void MapEventsApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/events", Stream).WithTags("Events").RequireAuthorization()
            .WithName("Events").WithSummary("Server-sent video status and progress events (owner's videos; admins see all)");

    private static IResult Stream(ClaimsPrincipal principal, VideoEventHub hub, HttpContext http)
    {
        var userId = principal.UserId();
        var admin = principal.IsAdmin();
        // Proxies (nginx) must not buffer the stream.
        http.Response.Headers["X-Accel-Buffering"] = "no";
        return TypedResults.ServerSentEvents(Read(hub.Subscribe(e => admin || e.OwnerId == userId), http.RequestAborted));
    }

    private static async IAsyncEnumerable<SseItem<VideoEvent?>> Read(VideoEventHub.Subscription sub, [EnumeratorCancellation] CancellationToken ct)
    {
        using var _ = sub;
        // The first item tells the browser the stream is open, so it re-reads state after a reconnect.
        yield return new SseItem<VideoEvent?>(null, "ready");
        long id = 0;
        while (!ct.IsCancellationRequested)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(PingInterval);
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
            yield return next is null
                ? new SseItem<VideoEvent?>(null, "ping")
                : new SseItem<VideoEvent?>(next, "video") { EventId = (++id).ToString() };
        }
    }
}

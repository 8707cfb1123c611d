using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using StreamForge.Core.Data;
using StreamForge.Core.Videos;

namespace StreamForge.Core.Webhooks;

/// <summary>
/// Writes an event's deliveries (one per subscribed endpoint of the video's owner) in the caller's transaction, so
/// they commit or roll back with the transition they announce. After the commit, <see cref="WakeAsync"/> tells the
/// worker to send them.
/// </summary>
public sealed class WebhookOutbox(StreamForgeDbContext db, VideoViews views, WebhookDispatch dispatch, TimeProvider clock, ILogger<WebhookOutbox> log)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private bool _recorded;

    /// <summary>Records <paramref name="type"/> for the video as it is now in this transaction; a no-op when nobody subscribed.</summary>
    public async Task RecordAsync(Guid videoId, string type, CancellationToken ct)
    {
        var endpoints = await db.Set<WebhookEndpoint>()
            .Where(e => e.DisabledAt == null && e.Events.Contains(type) && db.Videos.Any(v => v.Id == videoId && v.OwnerId == e.UserId))
            .Select(e => e.Id).ToListAsync(ct);
        if (endpoints.Count == 0) return;
        var video = await views.DetailAsync(db.Videos, videoId, ct);
        if (video is null) return;
        var now = clock.GetUtcNow();
        var payload = JsonSerializer.Serialize(new WebhookEvent(Guid.NewGuid(), type, now, video), Json);
        var ids = endpoints.Select(_ => Guid.NewGuid()).ToArray();
        var endpointIds = endpoints.ToArray();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO webhook_deliveries (id, endpoint_id, event_type, payload, status, attempts, next_attempt_at, created_at)
            SELECT d.id, d.endpoint_id, {type}, {payload}::jsonb, {WebhookDeliveryStatus.Pending}, 0, {now}, {now}
            FROM unnest({ids}, {endpointIds}) AS d (id, endpoint_id)
            """, ct);
        _recorded = true;
    }

    /// <summary>After the commit: the worker should look now. Failing here loses nothing (the sweep finds the rows).</summary>
    public async Task WakeAsync()
    {
        if (!_recorded) return;
        _recorded = false;
        try
        {
            await dispatch.ScheduleAsync(clock.GetUtcNow(), CancellationToken.None);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Could not wake the webhook dispatcher; the sweep will send the deliveries");
        }
    }
}

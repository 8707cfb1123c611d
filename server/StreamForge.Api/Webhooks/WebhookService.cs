using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Api.Infrastructure;
using StreamForge.Core.Data;
using StreamForge.Core.Outbound;
using StreamForge.Core.Webhooks;

namespace StreamForge.Api.Webhooks;

/// <summary>
/// An account's webhook endpoints and their deliveries. Every call sees only the caller's endpoints (another account's
/// is NotFound); the URL is checked against the outbound rules here and again by the worker at every delivery.
/// </summary>
public sealed class WebhookService(StreamForgeDbContext db, WebhookDispatch dispatch, IOptions<WebhookOptions> options, TimeProvider clock)
{
    private IQueryable<WebhookEndpoint> Endpoints => db.Set<WebhookEndpoint>();
    private IQueryable<WebhookDelivery> Deliveries => db.Set<WebhookDelivery>();

    public async Task<Outcome<WebhookCreated>> CreateAsync(CreateWebhookRequest body, ClaimsPrincipal principal, CancellationToken ct)
    {
        var fields = new Dictionary<string, string[]>();
        if (body.Url is { Length: > 2048 }) fields["url"] = ["The URL must be at most 2048 characters."];
        else if (OutboundTargets.CheckUrl(body.Url, out var parsed) is { } bad) fields["url"] = [bad];
        else if (await OutboundTargets.CheckAsync(parsed!, options.Value.AllowPrivateTargets, ct) is { } refused) fields["url"] = [refused];
        if (CheckEvents(body.Events) is { } badEvents) fields["events"] = [badEvents];
        if (fields.Count > 0) return Refusal.Invalid(fields);

        var userId = principal.UserId();
        var cap = options.Value.MaxEndpointsPerAccount;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await db.LockAccountAsync(userId, ct)) return Refusal.SessionExpired;
        if (await Endpoints.CountAsync(e => e.UserId == userId, ct) >= cap)
            return Refusal.Conflict($"An account can have at most {cap} webhook endpoints; delete one first.");
        var endpoint = new WebhookEndpoint
        {
            Id = Guid.NewGuid(),
            UserId = userId,
            Url = body.Url!.Trim(),
            Events = body.Events!.Distinct(StringComparer.Ordinal).ToArray(),
            Secret = WebhookSignature.NewSecret(),
            CreatedAt = clock.GetUtcNow(),
        };
        db.Add(endpoint);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new WebhookCreated(endpoint.Id, endpoint.Url, endpoint.Events, endpoint.Secret, endpoint.CreatedAt);
    }

    public async Task<List<WebhookDto>> ListAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        var userId = principal.UserId();
        return await Endpoints.Where(e => e.UserId == userId).OrderBy(e => e.CreatedAt)
            .Select(e => new WebhookDto(e.Id, e.Url, e.Events, e.CreatedAt, e.DisabledAt)).ToListAsync(ct);
    }

    /// <summary>Removes the endpoint and its delivery history; deliveries not yet sent are dropped with it.</summary>
    public async Task<bool> DeleteAsync(Guid id, ClaimsPrincipal principal, CancellationToken ct)
    {
        var userId = principal.UserId();
        return await Endpoints.Where(e => e.Id == id && e.UserId == userId).ExecuteDeleteAsync(ct) == 1;
    }

    /// <summary>The endpoint's recent deliveries, newest first; null when the endpoint is not the caller's.</summary>
    public async Task<List<WebhookDeliveryDto>?> DeliveriesAsync(Guid id, ClaimsPrincipal principal, CancellationToken ct)
    {
        var userId = principal.UserId();
        if (!await Endpoints.AnyAsync(e => e.Id == id && e.UserId == userId, ct)) return null;
        return await Deliveries.Where(d => d.EndpointId == id).OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id)
            .Take(options.Value.RecentDeliveries)
            .Select(d => new WebhookDeliveryDto(d.Id, d.EventType, d.Status, d.Attempts, d.LastStatusCode, d.LastError,
                d.NextAttemptAt, d.CreatedAt, d.DeliveredAt))
            .ToListAsync(ct);
    }

    /// <summary>
    /// Sends the delivery again, same id and bytes, now: it becomes pending and due. One that was given up gets that
    /// one attempt (its retry window is over); one still pending is simply tried now.
    /// </summary>
    public async Task<bool> ResendAsync(Guid id, Guid deliveryId, ClaimsPrincipal principal, CancellationToken ct)
    {
        var userId = principal.UserId();
        var now = clock.GetUtcNow();
        var updated = await Deliveries
            .Where(d => d.Id == deliveryId && d.EndpointId == id && Endpoints.Any(e => e.Id == id && e.UserId == userId))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, WebhookDeliveryStatus.Pending).SetProperty(d => d.NextAttemptAt, now), ct);
        if (updated == 0) return false;
        await dispatch.ScheduleAsync(now, ct);
        return true;
    }

    private static string? CheckEvents(string[]? events)
    {
        if (events is null || events.Length == 0) return "Choose at least one event.";
        if (events.Length > WebhookEvents.All.Count * 2) return $"At most {WebhookEvents.All.Count} events.";
        var unknown = events.Where(e => !WebhookEvents.All.Contains(e)).ToList();
        return unknown.Count == 0 ? null
            : $"Unknown event {string.Join(", ", unknown.Take(3).Select(e => $"'{(e?.Length > 40 ? e[..40] : e)}'"))}; events are {string.Join(", ", WebhookEvents.All)}.";
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;
using StreamForge.Core.Data;
using StreamForge.Core.Maintenance;
using StreamForge.Core.Outbound;
using StreamForge.Core.Webhooks;

namespace StreamForge.Worker.Webhooks;

/// <summary>
/// Sends every due webhook delivery, then schedules itself for the earliest retry. Runs on a wake-up after an event's
/// commit, on a retry's time, and on the recurring sweep; one run at a time in the cluster, attempts in parallel
/// inside it so one slow receiver does not hold the others.
/// </summary>
[DisallowConcurrentExecution]
public sealed class WebhookDispatchJob(
    StreamForgeDbContext db, WebhookDispatch dispatch, RecordTrims trims, IOptions<WebhookOptions> options, TimeProvider clock, ILogger<WebhookDispatchJob> log) : IJob
{
    private const int BatchSize = 50;
    private const int Parallelism = 8;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var o = options.Value;
        using var client = OutboundHttp.CreateClient(o.AllowPrivateTargets, o.Timeout);
        var sender = new WebhookSender(client, clock);
        while (!ct.IsCancellationRequested)
        {
            var due = await ClaimAsync(o, ct);
            if (due.Count == 0) break;
            var results = new (DueDelivery Delivery, AttemptResult Result)[due.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, due.Count), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct },
                async (i, token) => results[i] = (due[i], due[i].Disabled
                    ? new AttemptResult(false, null, "The endpoint is disabled.")
                    : await sender.SendAsync(due[i], token)));
            foreach (var (delivery, result) in results) await RecordAsync(delivery, result, o, ct);
        }
        if (context.Trigger.Key.Equals(WebhookDispatchScheduler.SweepKey)) await TrimAsync(o, ct);
        var next = await db.Set<WebhookDelivery>().Where(d => d.Status == WebhookDeliveryStatus.Pending)
            .MinAsync(d => d.NextAttemptAt, ct);
        if (next is { } at) await dispatch.ScheduleAsync(at, ct);
    }

    /// <summary>
    /// Takes due deliveries and pushes their due time past this attempt (a lease): a worker that dies mid-attempt
    /// leaves them to be tried again then, and a concurrent sweep on another node skips them.
    /// </summary>
    private async Task<List<DueDelivery>> ClaimAsync(WebhookOptions o, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var lease = now + o.Timeout + TimeSpan.FromMinutes(1);
        return await db.Database.SqlQuery<DueDelivery>($"""
            WITH due AS (
                SELECT id FROM webhook_deliveries
                WHERE status = {WebhookDeliveryStatus.Pending} AND next_attempt_at <= {now}
                ORDER BY next_attempt_at LIMIT {BatchSize}
                FOR UPDATE SKIP LOCKED)
            UPDATE webhook_deliveries d SET next_attempt_at = {lease}
            FROM due, webhook_endpoints e
            WHERE d.id = due.id AND e.id = d.endpoint_id
            RETURNING d.id AS "Id", d.event_type AS "EventType", d.payload::text AS "Payload", d.attempts AS "Attempts",
                      d.created_at AS "CreatedAt", d.next_attempt_at AS "Lease", e.url AS "Url", e.secret AS "Secret", e.disabled_at IS NOT NULL AS "Disabled"
            """).ToListAsync(ct);
    }

    /// <summary>Drops finished deliveries past the retention (pending ones are kept until they end).</summary>
    private async Task TrimAsync(WebhookOptions o, CancellationToken ct)
    {
        var trimmed = await trims.WebhookDeliveriesAsync(clock.GetUtcNow() - o.Retention, ct);
        if (trimmed > 0) log.LogInformation("Webhooks: {Trimmed} deliveries past retention removed", trimmed);
    }

    private async Task RecordAsync(DueDelivery delivery, AttemptResult result, WebhookOptions o, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var attempts = delivery.Attempts + 1;
        var next = result.Delivered || delivery.Disabled ? null : WebhookBackoff.NextAttempt(attempts, delivery.CreatedAt, now, o);
        var status = result.Delivered ? WebhookDeliveryStatus.Delivered : next is null ? WebhookDeliveryStatus.Failed : WebhookDeliveryStatus.Pending;
        // A resend during the attempt moved the due time off the lease: it keeps its status and time, so it is sent again.
        await db.Database.ExecuteSqlAsync($"""
            UPDATE webhook_deliveries SET attempts = attempts + 1, last_status_code = {result.StatusCode}, last_error = {result.Error},
                delivered_at = CASE WHEN {result.Delivered} THEN {now} ELSE delivered_at END,
                status = CASE WHEN {result.Delivered} OR next_attempt_at = {delivery.Lease} THEN {status} ELSE status END,
                next_attempt_at = CASE WHEN {result.Delivered} OR next_attempt_at = {delivery.Lease} THEN {next} ELSE next_attempt_at END
            WHERE id = {delivery.Id}
            """, ct);
        if (!result.Delivered)
            log.LogInformation("Webhook delivery {DeliveryId} ({Event}) attempt {Attempt} failed: {Error}; {Next}",
                delivery.Id, delivery.EventType, attempts, result.Error, next is null ? "giving up" : $"next at {next:O}");
    }
}

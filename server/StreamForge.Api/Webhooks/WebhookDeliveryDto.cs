namespace StreamForge.Api.Webhooks;

/// <param name="Id">The delivery id the receiver sees (StreamForge-Delivery) on every attempt of this delivery.</param>
/// <param name="Status">pending (not delivered yet; retried at <paramref name="NextAttemptAt"/>), delivered, or failed (given up).</param>
/// <param name="LastStatusCode">The receiver's HTTP status on the last attempt; null when it did not answer.</param>
/// <param name="LastError">Why the last attempt failed; null when it succeeded.</param>
public sealed record WebhookDeliveryDto(
    Guid Id, string EventType, string Status, int Attempts, int? LastStatusCode, string? LastError,
    DateTimeOffset? NextAttemptAt, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt);

namespace StreamForge.Core.Data;

/// <summary>
/// One event for one endpoint. Its id is the delivery id the receiver sees on every attempt (retries and resends), so
/// it can deduplicate; the payload is built once, when the event happens, so every attempt sends the same bytes.
/// </summary>
public sealed class WebhookDelivery
{
    public Guid Id { get; set; }
    public Guid EndpointId { get; set; }
    public string EventType { get; set; } = "";
    /// <summary>The JSON body as sent.</summary>
    public string Payload { get; set; } = "";
    public string Status { get; set; } = WebhookDeliveryStatus.Pending;
    public int Attempts { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    /// <summary>When a pending delivery is due (again); a worker that takes it pushes this forward while it tries.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
}

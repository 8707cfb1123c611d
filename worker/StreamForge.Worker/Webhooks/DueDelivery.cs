namespace StreamForge.Worker.Webhooks;

/// <summary>A pending delivery the dispatcher claimed, with where and how to send it.</summary>
/// <param name="Lease">The due time the claim set, as stored: still there after the attempt means nobody resent it meanwhile.</param>
public sealed record DueDelivery(
    Guid Id, string EventType, string Payload, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset Lease, string Url, string Secret, bool Disabled);

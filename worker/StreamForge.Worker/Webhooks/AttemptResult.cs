namespace StreamForge.Worker.Webhooks;

/// <summary>What one attempt got: the receiver's status code when it answered, and why it failed when it did.</summary>
public sealed record AttemptResult(bool Delivered, int? StatusCode, string? Error);

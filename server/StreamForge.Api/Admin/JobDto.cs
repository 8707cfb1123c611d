namespace StreamForge.Api.Admin;

public sealed record JobDto(
    Guid VideoId, string Title, string? OwnerEmail, string State, string? Worker, DateTimeOffset? EnqueuedAt,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, long? DurationMs, long? QueueLatencyMs, int Attempts, string? LastError);

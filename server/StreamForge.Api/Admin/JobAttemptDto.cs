namespace StreamForge.Api.Admin;

public sealed record JobAttemptDto(int Attempt, string Worker, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string Outcome, string? Error);

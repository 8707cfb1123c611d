namespace StreamForge.Api.Admin;

public sealed record JobHistoryPoint(DateTimeOffset Minute, int Succeeded, int Failed);

namespace StreamForge.Api.Admin;

public sealed record JobStats(int Scheduled, int Processing, int Succeeded, int Failed, IReadOnlyList<JobHistoryPoint> History);

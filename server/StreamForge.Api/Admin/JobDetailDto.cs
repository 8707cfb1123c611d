namespace StreamForge.Api.Admin;

public sealed record JobDetailDto(JobDto Job, IReadOnlyList<JobAttemptDto> Attempts);

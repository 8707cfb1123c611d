namespace StreamForge.Core.Data;

/// <summary>
/// Worker time of a run whose video was deleted, kept for the owner's 24-hour processing allowance (job_runs rows go
/// with their video). Written by the lifecycle's delete in the same statement; trimmed by maintenance after a day.
/// </summary>
public sealed class DeletedVideoRun
{
    public long Id { get; set; }
    public Guid OwnerId { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset FinishedAt { get; set; }
}

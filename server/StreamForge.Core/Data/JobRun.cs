namespace StreamForge.Core.Data;

/// <summary>One execution attempt of a video's processing job: Quartz forgets fired triggers, the dashboard does not.</summary>
public sealed class JobRun
{
    public long Id { get; set; }
    public Guid VideoId { get; set; }
    public int Attempt { get; set; }
    public string Worker { get; set; } = "";
    public DateTimeOffset EnqueuedAt { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string Outcome { get; set; } = JobOutcome.Running;
    public string? Error { get; set; }
}

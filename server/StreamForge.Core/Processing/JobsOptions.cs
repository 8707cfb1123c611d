namespace StreamForge.Core.Processing;

public sealed class JobsOptions
{
    public const string Section = "Jobs";

    public static readonly TimeSpan[] DefaultRetryDelays = [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20)];

    /// <summary>
    /// Delay before each retry of a transient failure; its length is the retry count. Empty here and
    /// filled with <see cref="DefaultRetryDelays"/> after binding, because the configuration binder
    /// appends to an initialised array instead of replacing it.
    /// </summary>
    public TimeSpan[] RetryDelays { get; set; } = [];
    public TimeSpan SucceededRetention { get; set; } = TimeSpan.FromHours(24);
    public TimeSpan FailedRetention { get; set; } = TimeSpan.FromDays(7);
    /// <summary>How long an upload link is kept after it expired (its owner's list shows it until then).</summary>
    public TimeSpan UploadLinkRetention { get; set; } = TimeSpan.FromDays(7);
    /// <summary>How often the recurring cleanup (job history, expired uploads) runs.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>A worker scheduler's poll interval when idle; 1 s is the minimum Quartz accepts. The API only schedules and polls rarely.</summary>
    public TimeSpan IdleWaitTime { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(5);
}

namespace StreamForge.Worker.Processing;

/// <summary>How much of the workers one user may hold (section "Processing"); admins are not limited.</summary>
public sealed class UserProcessingOptions
{
    public const string Section = "Processing";

    /// <summary>Videos of one user processed at once, over all workers; 0 = no cap.</summary>
    public int MaxConcurrentPerUser { get; set; } = 2;

    /// <summary>Worker time one user's runs may take in any 24 hours; zero = no allowance check.</summary>
    public TimeSpan DailyAllowance { get; set; } = TimeSpan.FromHours(4);

    /// <summary>When a video that waits for its owner's other videos is looked at again.</summary>
    public TimeSpan WaitRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>When a video that waits for its owner's daily allowance is looked at again.</summary>
    public TimeSpan AllowanceRetryDelay { get; set; } = TimeSpan.FromMinutes(5);
}

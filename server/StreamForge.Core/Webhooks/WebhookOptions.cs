namespace StreamForge.Core.Webhooks;

public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>
    /// Lets endpoints point at loopback, private, link-local and other internal addresses. Off in production: a
    /// webhook URL is attacker-chosen. The local stack turns it on so a receiver on 127.0.0.1 works.
    /// </summary>
    public bool AllowPrivateTargets { get; set; }
    public int MaxEndpointsPerAccount { get; set; } = 10;
    /// <summary>Delay after the first failed attempt; each further failure doubles it, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);
    /// <summary>A delivery still failing this long after its event is marked failed (the owner can resend it).</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);
    /// <summary>Whole attempt: connect, send, and read the (capped) response.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>How often a worker looks for due deliveries whose wake-up was lost (a process that died right after a commit).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>Sent and given-up deliveries older than this are removed (by the sweep), so the history cannot grow without bound.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);
    /// <summary>How many deliveries the owner sees per endpoint, newest first.</summary>
    public int RecentDeliveries { get; set; } = 50;
}

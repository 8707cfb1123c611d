namespace StreamForge.Core.Imports;

/// <summary>Import from a URL (<c>POST /api/v1/uploads/from-url</c>): who may be fetched, and how long and how many.</summary>
public sealed class ImportOptions
{
    public const string Section = "Imports";

    /// <summary>
    /// Lets imports reach loopback, private and link-local addresses. Off in production (SSRF); the local stack and the
    /// tests turn it on so a file server on 127.0.0.1 works.
    /// </summary>
    public bool AllowPrivateTargets { get; set; }
    /// <summary>Longest one import may take from the moment the worker starts it, retries included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);
    /// <summary>Longest the source may send nothing (before its headers or between two reads) before the attempt is given up.</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>Imports one account may have waiting or running at once.</summary>
    public int MaxConcurrentPerAccount { get; set; } = 2;
    /// <summary>Attempts for network failures and 5xx answers (a 4xx is final at once).</summary>
    public int Attempts { get; set; } = 3;
    /// <summary>Wait before the second attempt; doubled before each further one.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>Imports one worker runs at once (their own threads: they wait on the network, not the CPU).</summary>
    public int MaxConcurrentPerWorker { get; set; } = 2;
}

namespace StreamForge.Api.Downloads;

/// <summary>Download links (section "Downloads").</summary>
public sealed class DownloadOptions
{
    public const string Section = "Downloads";

    /// <summary>
    /// Lifetime of a presigned download URL. Short: it is fetched right before the browser follows it, and anyone
    /// holding it can read the file until it expires.
    /// </summary>
    public TimeSpan UrlLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A remux still "preparing" after this long is scheduled again by the next request: its job was lost (a remux
    /// of even a long video takes seconds; a crashed worker's job is recovered by the scheduler well before this).
    /// </summary>
    public TimeSpan PreparingTimeout { get; set; } = TimeSpan.FromMinutes(10);
}

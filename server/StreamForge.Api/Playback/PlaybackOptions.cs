namespace StreamForge.Api.Playback;

public sealed class PlaybackOptions
{
    public const string Section = "Playback";

    /// <summary>
    /// View reports (beacon batches) per client address and minute. A player sends one every 30 s plus one when the
    /// page hides; a few dozen viewers behind one NAT stay well under the default.
    /// </summary>
    public int ViewReportsPerMinute { get; set; } = 120;

    /// <summary>Anonymous watch-page reads (GET /watch/{id}, the public list) per client address and minute.</summary>
    public int WatchRequestsPerMinute { get; set; } = 600;

    /// <summary>
    /// Private media requests to the origin route per client address and minute. A player fetches a segment every few
    /// seconds; a CDN in front is one address for all its viewers but caches, so it asks once per object.
    /// </summary>
    public int MediaRequestsPerMinute { get; set; } = 6000;

    /// <summary>Largest report body accepted; a full batch of views fits in a few kilobytes.</summary>
    public int MaxReportBytes { get; set; } = 16 * 1024;
}

namespace StreamForge.Api.Playback;

public sealed class PlaybackOptions
{
    public const string Section = "Playback";

    /// <summary>
    /// View reports (beacon batches) per client address and minute. A player sends one every 30 s plus one when the
    /// page hides; a few dozen viewers behind one NAT stay well under the default.
    /// </summary>
    public int ViewReportsPerMinute { get; set; } = 120;

    /// <summary>Largest report body accepted; a full batch of views fits in a few kilobytes.</summary>
    public int MaxReportBytes { get; set; } = 16 * 1024;
}

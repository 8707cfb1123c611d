namespace StreamForge.Core.Data;

/// <summary>
/// One viewing of one video as our player measured it. The player sends cumulative figures under a random view id,
/// so the row holds the latest report and a lost beacon loses nothing. No viewer identity is stored.
/// </summary>
public sealed class PlaybackView
{
    /// <summary>Random per view (crypto.randomUUID in the player); bound to its first video.</summary>
    public Guid ViewId { get; set; }
    public Guid VideoId { get; set; }
    public Video? Video { get; set; }
    public DateTimeOffset FirstReportAt { get; set; }
    public DateTimeOffset ReportedAt { get; set; }
    /// <summary>Load request to first frame; null while the first frame has not shown.</summary>
    public int? StartupMs { get; set; }
    public double WatchSeconds { get; set; }
    /// <summary>Stalls after the first frame, not counting the startup wait or a seek's own wait.</summary>
    public int RebufferCount { get; set; }
    public double RebufferSeconds { get; set; }
    public int BitrateSwitches { get; set; }
    /// <summary>Rendition bandwidth weighted by the time each played; null before any watch time.</summary>
    public long? AvgBitrateBps { get; set; }
    public long DroppedFrames { get; set; }
    public int FatalErrors { get; set; }
    /// <summary>Watch seconds per rendition height, as a JSON object ({"720": 12.5}).</summary>
    public string RenditionSeconds { get; set; } = "{}";
}

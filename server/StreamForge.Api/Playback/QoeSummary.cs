namespace StreamForge.Api.Playback;

/// <summary>QoE over a window: views reported in it and their latest figures added up.</summary>
/// <param name="RebufferRatio">Rebuffer seconds over watch seconds (0 without watch time).</param>
/// <param name="AverageBitrateBps">Rendition bandwidth weighted by watch time; null without watch time.</param>
public sealed record QoeSummary(
    string Window,
    int Views,
    double? MedianStartupSeconds,
    double RebufferRatio,
    long Rebuffers,
    double RebufferSeconds,
    double WatchSeconds,
    long? AverageBitrateBps,
    long BitrateSwitches,
    long DroppedFrames,
    long FatalErrors,
    IReadOnlyList<RenditionShare> Renditions);

/// <summary>Share of the window's watch time spent on one rendition height.</summary>
public sealed record RenditionShare(int Height, double Seconds, double Share);

/// <summary>One video's line in the admin overview.</summary>
public sealed record VideoQoe(Guid VideoId, string Title, int Views, double? MedianStartupSeconds, double RebufferRatio, double WatchSeconds, long FatalErrors);

/// <summary>Every video's QoE in a window, and the videos that played worst (most rebuffering, then most errors).</summary>
public sealed record QoeOverview(QoeSummary Totals, IReadOnlyList<VideoQoe> WorstVideos);

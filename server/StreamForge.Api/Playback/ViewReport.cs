using System.Text.Json.Serialization;

namespace StreamForge.Api.Playback;

/// <summary>
/// One view's cumulative figures, as the player measured them so far. Unknown fields are refused: a renamed field
/// would otherwise be stored as zero without anyone noticing.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ViewReport(
    Guid ViewId,
    Guid VideoId,
    int? StartupMs,
    double WatchSeconds,
    int RebufferCount,
    double RebufferSeconds,
    int BitrateSwitches,
    long? AvgBitrateBps,
    long DroppedFrames,
    int FatalErrors,
    Dictionary<string, double>? RenditionSeconds);

/// <summary>What one beacon carries: the views of one page (usually one).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ViewReportBatch(ViewReport[]? Views);

using System.Text.Json.Serialization;

namespace StreamForge.Media;

/// <summary>
/// The playback manifest, written as <c>manifest.json</c>; every URL is relative to it. <see cref="Mpd"/> and
/// <see cref="Hls"/> name the DASH MPD and the HLS master playlist written from this same model for other players.
/// Tick values marked [JsonIgnore] are kept so <see cref="MpdWriter"/> writes the MPD from this same model.
/// <see cref="Captions"/> is left out of the JSON while a video has none, so older readers see the file unchanged.
/// While a version is still being encoded (playable while processing) <see cref="Complete"/> is false, the segment
/// lists hold what is published so far, <see cref="Duration"/> is where that media ends, <see cref="ExpectedDuration"/>
/// is the source's probed length and <see cref="SegmentCount"/> the number of video segments per rung. A manifest
/// written before this existed has no "complete" and reads as complete.
/// </summary>
public sealed record Manifest(
    int Version,
    string VideoId,
    double Duration,
    IReadOnlyList<VideoRendition> Video,
    AudioRendition? Audio,
    ThumbnailSet Thumbnails,
    string Mpd,
    string Poster,
    string? Hls = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<CaptionTrack>? Captions = null,
    bool Complete = true,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ExpectedDuration = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? SegmentCount = null)
{
    /// <summary>
    /// While a version grows: the wall-clock instant its encoding began, which the dynamic MPD names as
    /// availabilityStartTime. Null in a complete manifest.
    /// </summary>
    [JsonIgnore]
    public DateTimeOffset? GrowingSince { get; init; }
}

/// <summary>One video rung; <see cref="Id"/> is "{short side}p" and names its folder.</summary>
public sealed record VideoRendition(
    string Id,
    int Width,
    int Height,
    long Bandwidth,
    string Codecs,
    string MimeType,
    string Init,
    IReadOnlyList<ManifestSegment> Segments)
{
    [JsonIgnore]
    public long Timescale { get; init; } = 1;
}

public sealed record AudioRendition(
    string Codecs,
    string MimeType,
    long Bandwidth,
    string Init,
    IReadOnlyList<ManifestSegment> Segments)
{
    [JsonIgnore]
    public long Timescale { get; init; } = 1;

    [JsonIgnore]
    public int SamplingRate { get; init; }

    [JsonIgnore]
    public int Channels { get; init; } = 2;
}

/// <param name="Start">Seconds from the start of the presentation.</param>
/// <param name="Duration">Seconds (about 4.004 for video; audio segments differ, never assume index × 4).</param>
public sealed record ManifestSegment(string Url, double Start, double Duration)
{
    [JsonIgnore]
    public long StartTicks { get; init; }

    [JsonIgnore]
    public long DurationTicks { get; init; }
}

public sealed record ThumbnailSet(string Vtt, int Interval, int TileWidth, int TileHeight, IReadOnlyList<SpriteSheet> Sprites);

public sealed record SpriteSheet(string Url, int Columns, int Rows);

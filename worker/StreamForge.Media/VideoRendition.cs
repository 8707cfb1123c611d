using System.Text.Json.Serialization;

namespace StreamForge.Media;

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

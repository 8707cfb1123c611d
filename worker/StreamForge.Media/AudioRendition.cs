using System.Text.Json.Serialization;

namespace StreamForge.Media;

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

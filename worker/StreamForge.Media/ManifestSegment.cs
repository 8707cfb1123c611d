using System.Text.Json.Serialization;

namespace StreamForge.Media;

/// <param name="Start">Seconds from the start of the presentation.</param>
/// <param name="Duration">Seconds (about 4.004 for video; audio segments differ, never assume index × 4).</param>
public sealed record ManifestSegment(string Url, double Start, double Duration)
{
    [JsonIgnore]
    public long StartTicks { get; init; }

    [JsonIgnore]
    public long DurationTicks { get; init; }
}

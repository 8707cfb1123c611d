namespace StreamForge.Media;

/// <param name="ContentType">"video" or "audio" (from the adaptation set, else from the mime type).</param>
public sealed record DashRepresentation(
    string Id,
    string ContentType,
    string MimeType,
    string Codecs,
    long Bandwidth,
    int? Width,
    int? Height,
    int? AudioSamplingRate,
    int? AudioChannels,
    long Timescale,
    int StartNumber,
    string? Initialization,
    string? Media,
    IReadOnlyList<DashSegment> Segments)
{
    /// <summary>End of the last segment in seconds.</summary>
    public double End => Segments.Count == 0 ? 0 : Segments[^1].Start + Segments[^1].Duration;
}

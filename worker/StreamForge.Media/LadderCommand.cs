namespace StreamForge.Media;

/// <summary>
/// The ladder's ffmpeg arguments and how ffmpeg will name what it writes: DASH representation ids are the
/// output stream indexes, so <see cref="VideoRepresentationIds"/>[i] belongs to rung i and each audio track names its own.
/// </summary>
public sealed record LadderCommand(
    IReadOnlyList<string> Arguments,
    string ManifestPath,
    IReadOnlyList<string> VideoRepresentationIds,
    IReadOnlyList<AudioTrackPlan> AudioTracks)
{
    /// <summary>The first (default) audio track's representation, or null for a silent video.</summary>
    public string? AudioRepresentationId => AudioTracks.Count > 0 ? AudioTracks[0].RepresentationId : null;
}

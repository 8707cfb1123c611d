namespace StreamForge.Media;

/// <summary>
/// The ladder's ffmpeg arguments and how ffmpeg will name what it writes: DASH representation ids are the
/// output stream indexes, so <see cref="VideoRepresentationIds"/>[i] belongs to rung i.
/// </summary>
public sealed record LadderCommand(
    IReadOnlyList<string> Arguments,
    string ManifestPath,
    IReadOnlyList<string> VideoRepresentationIds,
    string? AudioRepresentationId);

namespace StreamForge.Core.Videos;

/// <summary>
/// What the worker publishes with <see cref="VideoTransition.MarkPlayable"/>: the growing version it serves while the
/// rest is still being encoded. <paramref name="DurationSeconds"/> is the source's probed length, not what is encoded yet.
/// </summary>
public sealed record PlayableFacts(int Version, string ManifestUrl, double DurationSeconds, int Width, int Height);

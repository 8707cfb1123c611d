namespace StreamForge.Core.Videos;

/// <summary>What the worker publishes with <see cref="VideoTransition.MarkReady"/>: the new current media version and its facts.</summary>
public sealed record ReadyFacts(
    int Version, double DurationSeconds, int Width, int Height, string ManifestUrl, string PosterUrl, string ThumbnailsVttUrl,
    ProbeFacts Probe, IReadOnlyList<RenditionFacts> Renditions);

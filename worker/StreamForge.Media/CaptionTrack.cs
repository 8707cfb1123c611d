namespace StreamForge.Media;

/// <summary>A caption track as manifest.json lists it; <see cref="Url"/> is relative to the manifest.</summary>
public sealed record CaptionTrack(string Lang, string Label, string Url);

namespace StreamForge.Core.Videos;

/// <summary>One published rung, as stored in videos.renditions_json (a JSON array of these).</summary>
/// <param name="Id">The rung id ("720p"); names its download.</param>
/// <param name="Bandwidth">Video bitrate in bits per second, as the manifest declares it.</param>
public sealed record RenditionFacts(string Id, int Width, int Height, long Bandwidth, string Codecs);

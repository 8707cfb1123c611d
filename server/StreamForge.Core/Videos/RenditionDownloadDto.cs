namespace StreamForge.Core.Videos;

/// <param name="Bandwidth">The rung's video bitrate in bits per second, as the manifest declares it.</param>
public sealed record RenditionDownloadDto(string Id, int Width, int Height, long Bandwidth, string Codecs, string Endpoint);

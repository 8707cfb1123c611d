namespace StreamForge.Media;

/// <summary>The Content-Type each published file is stored with, from its key: the one table for the worker and the API.</summary>
public static class MediaContentTypes
{
    public static string Of(string key) => Path.GetExtension(key).ToLowerInvariant() switch
    {
        // Segments are fMP4 fragments of their track: players and CDNs know video/mp4 and audio/mp4, not iso.segment.
        ".m4s" or ".mp4" => key.StartsWith("audio/", StringComparison.Ordinal) ? "audio/mp4" : "video/mp4",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".vtt" => "text/vtt",
        ".json" => "application/json",
        ".mpd" => "application/dash+xml",
        ".m3u8" => HlsWriter.ContentType,
        _ => "application/octet-stream",
    };
}

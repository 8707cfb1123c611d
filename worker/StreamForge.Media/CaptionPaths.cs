namespace StreamForge.Media;

public static class CaptionPaths
{
    public const string Folder = "captions/";

    /// <summary>"en-US" → "captions/en-US.vtt": one file serves manifest.json, the MPD and the HLS playlist.</summary>
    public static string VttKey(string lang) => $"{Folder}{lang}.vtt";

    /// <summary>The HLS subtitles media playlist beside the .vtt it names.</summary>
    public static string PlaylistKey(string lang) => $"{Folder}{lang}.m3u8";
}

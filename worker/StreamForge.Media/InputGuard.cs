namespace StreamForge.Media;

/// <summary>
/// How ffprobe and ffmpeg open an uploaded source: as a local file only (<c>-protocol_whitelist file</c>) and only
/// through the demuxers of real containers (<c>-format_whitelist</c>). Playlists (hls, dash), concat lists, image
/// sequences and other indirect formats would make the tool open paths or URLs the uploader chose.
/// </summary>
public static class InputGuard
{
    /// <summary>
    /// ffmpeg 5.1 demuxer names (<c>ffmpeg -demuxers</c>); a demuxer with a list name ("mov,mp4,m4a,3gp,3g2,mj2",
    /// "matroska,webm") is allowed when any of its names is listed.
    /// </summary>
    public static readonly IReadOnlyList<string> Demuxers = ["mov", "matroska", "avi", "mpegts", "flv", "ogg", "mpeg", "asf"];

    public static string FormatWhitelist => string.Join(',', Demuxers);

    /// <summary>Input options for ffprobe (it ignores private options the chosen demuxer lacks).</summary>
    public static IReadOnlyList<string> ProbeInputOptions =>
        ["-protocol_whitelist", "file", "-format_whitelist", FormatWhitelist, "-enable_drefs", "0", "-use_absolute_path", "0"];

    /// <summary>
    /// Input options for ffmpeg. The mov demuxer's external references (drefs) are off by default; they are kept off
    /// explicitly, but only for mov: ffmpeg refuses a private option the chosen demuxer does not have.
    /// </summary>
    public static IReadOnlyList<string> TranscodeInputOptions(string probedFormat)
    {
        var options = new List<string> { "-protocol_whitelist", "file", "-format_whitelist", FormatWhitelist };
        if (IsMov(probedFormat))
        {
            options.AddRange(["-enable_drefs", "0", "-use_absolute_path", "0"]);
        }

        return options;
    }

    /// <summary>True when ffprobe's format_name (a comma list) names an allowed demuxer; a second line of defence.</summary>
    public static bool IsAllowedFormat(string formatName) =>
        formatName.Split(',').Any(name => Demuxers.Contains(name, StringComparer.Ordinal));

    private static bool IsMov(string formatName) => formatName.Split(',').Contains("mov", StringComparer.Ordinal);
}

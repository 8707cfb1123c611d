namespace StreamForge.Media;

/// <summary>Recognises stderr that means the input itself is broken (retrying cannot help).</summary>
public static class FfmpegErrors
{
    private static readonly string[] CorruptInputMarkers =
    [
        "Invalid data found when processing input",
        "moov atom not found",
        "Could not find codec parameters",
        "not found for input stream",
        "Invalid NAL unit size",
        "EBML header parsing failed",
        "not on whitelist",
        "Invalid frame dimensions",
        "Picture size",
    ];

    /// <summary>The mov demuxer's "partial file": the data ends before what the header promised.</summary>
    public static bool ShowsTruncatedInput(string? stderr) =>
        stderr is not null && stderr.Contains("partial file", StringComparison.OrdinalIgnoreCase);

    public static bool ShowsCorruptInput(string? stderr) =>
        stderr is not null && CorruptInputMarkers.Any(m => stderr.Contains(m, StringComparison.OrdinalIgnoreCase));
}

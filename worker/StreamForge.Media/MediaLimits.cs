using System.Globalization;

namespace StreamForge.Media;

/// <summary>
/// Caps checked on the probe before any transcoding (configuration section "Media:Limits"); what exceeds them is
/// refused permanently with a readable message instead of tying up a worker for hours.
/// </summary>
public sealed class MediaLimits
{
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Largest stored width or height in pixels.</summary>
    public int MaxDimension { get; set; } = 8192;

    public double MaxFrameRate { get; set; } = 120;

    /// <summary>All streams in the container (video, audio, subtitles, data, attachments).</summary>
    public int MaxStreams { get; set; } = 8;

    /// <summary>
    /// Audio tracks kept from the source (each becomes one AAC rendition); later ones are left out, not refused.
    /// </summary>
    public int MaxAudioTracks { get; set; } = 8;

    /// <summary>Overall bit rate in bits per second; 400 Mbit/s admits camera H.264/HEVC and most intermediate codecs.</summary>
    public long MaxBitRate { get; set; } = 400_000_000;

    /// <summary>
    /// Work budget per second of media: stored width × height × frame rate, what the decoder and the first scaler
    /// touch. The single limits above each admit 8192×8192 at 120 fps; together that is 8 billion pixels a second,
    /// hours of encoding per second of video. Default: 4K at 30 fps (249 million), which a busy two-core worker
    /// encoded through the full ladder at about 5 s per second of media, inside the 10 s of timeout each second
    /// gets (measurements in docs/architecture.md, Processing).
    /// </summary>
    public long MaxPixelsPerSecond { get; set; } = 250_000_000;

    /// <summary>
    /// Work budget of the whole source: pixels per second × duration. Default 250 billion, about 1080p30 for
    /// 1 h 7 min or 4K30 for 16 min: a few hours of a busy two-core worker at most.
    /// </summary>
    public long MaxTotalPixels { get; set; } = 250_000_000_000;

    /// <exception cref="MediaException">Permanent, naming the figure and its limit.</exception>
    public void Check(ProbeResult probe)
    {
        if (probe.DurationSeconds > MaxDuration.TotalSeconds)
        {
            throw Refuse($"The video is {Duration(probe.DurationSeconds)} long; the limit is {Duration(MaxDuration.TotalSeconds)}.");
        }

        var video = probe.Video;
        if (video.Width > MaxDimension || video.Height > MaxDimension)
        {
            throw Refuse($"The picture is {video.Width}x{video.Height} pixels; the limit is {MaxDimension} pixels per side.");
        }

        if (video.FrameRate > MaxFrameRate)
        {
            throw Refuse($"The video runs at {Num(video.FrameRate)} frames per second; the limit is {Num(MaxFrameRate)}.");
        }

        if (probe.StreamCount > MaxStreams)
        {
            throw Refuse($"The file has {probe.StreamCount} streams; the limit is {MaxStreams}.");
        }

        if (probe.BitRate > MaxBitRate)
        {
            throw Refuse($"The file's bit rate is {Num(probe.BitRate.Value / 1e6)} Mbit/s; the limit is {Num(MaxBitRate / 1e6)} Mbit/s.");
        }

        // The figures above are each within their limit here; what they multiply to is the work a worker would do.
        var perSecond = PixelsPerSecond(video);
        if (perSecond > MaxPixelsPerSecond)
        {
            throw Refuse($"This video needs {Pixels(perSecond)} pixels per second ({video.Width}x{video.Height} at {Num(video.FrameRate)} frames per second); " +
                $"the limit is {Pixels(MaxPixelsPerSecond)}. Upload it at a lower resolution or frame rate.");
        }

        var total = perSecond * probe.DurationSeconds;
        if (total > MaxTotalPixels)
        {
            throw Refuse($"This video needs {Pixels(total)} pixels in all ({video.Width}x{video.Height} at {Num(video.FrameRate)} frames per second for " +
                $"{Duration(probe.DurationSeconds)}); the limit is {Pixels(MaxTotalPixels)}. Upload a shorter or smaller video.");
        }
    }

    /// <summary>Stored frame size × frame rate: the pixels decoded per second of media.</summary>
    public static double PixelsPerSecond(VideoStreamInfo video) => (double)video.Width * video.Height * video.FrameRate;

    /// <summary>"125 million", "8.05 billion", "115 trillion".</summary>
    public static string Pixels(double count) => count switch
    {
        >= 1e12 => $"{Num3(count / 1e12)} trillion",
        >= 1e9 => $"{Num3(count / 1e9)} billion",
        >= 1e6 => $"{Num3(count / 1e6)} million",
        _ => count.ToString("0", CultureInfo.InvariantCulture),
    };

    private static string Num3(double value) => value.ToString(value >= 100 ? "0" : value >= 10 ? "0.#" : "0.##", CultureInfo.InvariantCulture);

    /// <summary>"5 h 33 min", "4 h", "12 min", "45 s".</summary>
    public static string Duration(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Floor(seconds));
        var hours = (int)t.TotalHours;
        if (hours > 0)
        {
            return t.Minutes > 0 ? $"{hours} h {t.Minutes} min" : $"{hours} h";
        }

        return t.Minutes > 0 ? (t.Seconds > 0 ? $"{t.Minutes} min {t.Seconds} s" : $"{t.Minutes} min") : $"{t.Seconds} s";
    }

    private static MediaException Refuse(string message) => MediaException.Permanent(message);

    private static string Num(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}

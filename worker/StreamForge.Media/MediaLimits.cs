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

    /// <summary>Overall bit rate in bits per second; 400 Mbit/s admits camera H.264/HEVC and most intermediate codecs.</summary>
    public long MaxBitRate { get; set; } = 400_000_000;

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
    }

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

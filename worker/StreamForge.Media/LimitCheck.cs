using System.Globalization;

namespace StreamForge.Media;

/// <summary>Checks a probed source against <see cref="MediaLimits"/> before any work is spent on it.</summary>
public static class LimitCheck
{
    /// <exception cref="MediaException">Permanent, naming the figure and the limit.</exception>
    public static void Enforce(ProbeResult probe, MediaLimits limits)
    {
        if (Violation(probe, limits) is { } message)
        {
            throw MediaException.Permanent(message);
        }
    }

    /// <summary>The first limit the source breaks, as a sentence for its owner; null when it fits.</summary>
    public static string? Violation(ProbeResult probe, MediaLimits limits)
    {
        var v = probe.Video;
        if (probe.DurationSeconds > limits.MaxDurationSeconds)
            return $"The video is {Duration(probe.DurationSeconds)} long; the limit is {Duration(limits.MaxDurationSeconds)}.";
        var side = Math.Max(Math.Max(v.Width, v.Height), Math.Max(v.DisplayWidth, v.DisplayHeight));
        if (side > limits.MaxDimension)
            return $"The picture is {v.DisplayWidth}×{v.DisplayHeight}; the limit is {limits.MaxDimension} pixels per side.";
        if (v.FrameRate > limits.MaxFrameRate)
            return $"The video has {Num(v.FrameRate)} frames per second; the limit is {Num(limits.MaxFrameRate)}.";
        if (probe.StreamCount > limits.MaxStreams)
            return $"The file has {probe.StreamCount} streams; the limit is {limits.MaxStreams}.";
        if (probe.BitRate is { } rate && rate > limits.MaxBitRate)
            return $"The file's bit rate is {rate / 1e6:0.#} Mbit/s; the limit is {limits.MaxBitRate / 1e6:0.#} Mbit/s.";
        return null;
    }

    /// <summary>"4 h", "5 h 33 min", "12 min 5 s".</summary>
    public static string Duration(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        var parts = new List<string>();
        if (t.TotalHours >= 1) parts.Add($"{(int)t.TotalHours} h");
        if (t.Minutes > 0) parts.Add($"{t.Minutes} min");
        if (t.Seconds > 0 && t.TotalHours < 1) parts.Add($"{t.Seconds} s");
        return parts.Count == 0 ? "0 s" : string.Join(' ', parts);
    }

    private static string Num(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}

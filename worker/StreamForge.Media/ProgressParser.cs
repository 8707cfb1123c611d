using System.Globalization;

namespace StreamForge.Media;

/// <summary>
/// Reads ffmpeg's <c>-progress</c> key=value lines and turns them into a fraction 0..1 of the source duration.
/// <c>out_time_us</c> is preferred; <c>out_time_ms</c> (which ffmpeg 5 also reports in microseconds) is the fallback.
/// </summary>
public sealed class ProgressParser(double durationSeconds)
{
    public double Fraction { get; private set; }

    public bool IsEnd { get; private set; }

    /// <summary>Consumes one line; returns the new fraction when the line moved it, otherwise null.</summary>
    public double? Consume(string line)
    {
        var eq = line.IndexOf('=');
        if (eq <= 0)
        {
            return null;
        }

        var key = line.AsSpan(0, eq).Trim();
        var value = line.AsSpan(eq + 1).Trim();

        if (key.SequenceEqual("progress"))
        {
            if (!value.SequenceEqual("end"))
            {
                return null;
            }

            IsEnd = true;
            return Set(1);
        }

        if ((key.SequenceEqual("out_time_us") || key.SequenceEqual("out_time_ms"))
            && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var micros)
            && durationSeconds > 0)
        {
            return Set(Math.Clamp(micros / 1_000_000.0 / durationSeconds, 0, 1));
        }

        return null;
    }

    private double? Set(double fraction)
    {
        if (fraction <= Fraction)
        {
            return null;
        }

        Fraction = fraction;
        return fraction;
    }
}

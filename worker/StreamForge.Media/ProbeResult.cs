namespace StreamForge.Media;

/// <summary>What ffprobe found in a source file (only the facts processing and <see cref="MediaLimits"/> need).</summary>
/// <param name="StreamCount">Every stream in the container, of any kind.</param>
public sealed record ProbeResult(
    string FormatName,
    double DurationSeconds,
    long SizeBytes,
    long? BitRate,
    VideoStreamInfo Video,
    AudioStreamInfo? Audio,
    int StreamCount)
{
    public bool HasAudio => Audio is not null;
}

namespace StreamForge.Media;

/// <summary>What ffprobe found in a source file (only the facts processing and <see cref="MediaLimits"/> need).</summary>
/// <param name="StreamCount">Every stream in the container, of any kind.</param>
/// <param name="AudioStreams">Every audio stream in container order (<see cref="Audio"/> is the first); null reads as just <see cref="Audio"/>.</param>
public sealed record ProbeResult(
    string FormatName,
    double DurationSeconds,
    long SizeBytes,
    long? BitRate,
    VideoStreamInfo Video,
    AudioStreamInfo? Audio,
    int StreamCount,
    IReadOnlyList<AudioStreamInfo>? AudioStreams = null)
{
    public bool HasAudio => Audio is not null;

    public IReadOnlyList<AudioStreamInfo> AllAudio => AudioStreams ?? (Audio is null ? [] : [Audio]);
}

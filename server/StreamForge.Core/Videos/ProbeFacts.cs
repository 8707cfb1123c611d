namespace StreamForge.Core.Videos;

/// <summary>
/// What ffprobe found, as stored in videos.probe_json by the worker and shown to the owner. The property names are
/// the stored JSON's (camelCase through <see cref="MediaFactsJson"/>); rows written before this type keep reading.
/// </summary>
public sealed record ProbeFacts(
    string? Format, double? DurationSeconds, long? BitRate, string? VideoCodec, string? Profile, string? PixelFormat,
    int? Width, int? Height, int? Rotation, double? Fps, bool? HasAudio, string? AudioCodec, int? AudioChannels,
    int? AudioSampleRate);

namespace StreamForge.Media;

/// <param name="Language">The stream's <c>language</c> tag as the container has it ("eng", "fr", "und"), or null.</param>
/// <param name="Title">The stream's <c>title</c> tag ("Director's commentary"), or null.</param>
public sealed record AudioStreamInfo(int StreamIndex, string Codec, int Channels, int SampleRate, string? Language = null, string? Title = null);

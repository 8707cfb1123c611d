namespace StreamForge.Media;

/// <summary>Tools and encoding settings for <see cref="MediaProcessor"/>. Bind from configuration section "Media".</summary>
public sealed class MediaToolsOptions
{
    public const string SectionName = "Media";

    public string FfmpegPath { get; set; } = "ffmpeg";
    public string FfprobePath { get; set; } = "ffprobe";

    /// <summary>libx264 preset ("ultrafast" in tests).</summary>
    public string Preset { get; set; } = "veryfast";

    /// <summary>DASH segment length; keyframes are forced on this grid so every rung cuts at the same instants.</summary>
    public int SegmentSeconds { get; set; } = 4;

    public int ThumbnailIntervalSeconds { get; set; } = 4;
    public int ThumbnailWidth { get; set; } = 160;
    public int ThumbnailHeight { get; set; } = 90;
    public int SpriteColumns { get; set; } = 10;
    public int SpriteRows { get; set; } = 10;

    public int PosterMaxWidth { get; set; } = 640;

    /// <summary>AAC stereo bitrate in bits per second.</summary>
    public int AudioBitrate { get; set; } = 128000;

    /// <summary>Encoder threads; 0 lets ffmpeg decide.</summary>
    public int Threads { get; set; }

    /// <summary>ffmpeg is given at most MinimumTimeout + duration × TimeoutPerMediaSecond before it is killed.</summary>
    public TimeSpan MinimumTimeout { get; set; } = TimeSpan.FromMinutes(2);
    public double TimeoutPerMediaSecond { get; set; } = 10;

    /// <summary>Caps on what a source may be (section "Media:Limits"); the timeout is computed from the capped duration.</summary>
    public MediaLimits Limits { get; set; } = new();
}

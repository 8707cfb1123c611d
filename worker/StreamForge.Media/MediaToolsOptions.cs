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

    /// <summary>
    /// ffmpeg is given at most MinimumTimeout + duration × TimeoutPerMediaSecond before it is killed, the duration
    /// capped at <see cref="MediaLimits.MaxDurationSeconds"/> (the probed figure comes from the uploader's file).
    /// </summary>
    public TimeSpan MinimumTimeout { get; set; } = TimeSpan.FromMinutes(2);
    public double TimeoutPerMediaSecond { get; set; } = 10;

    /// <summary>What a source may be; checked on the probe before any transcoding ("Media:Limits").</summary>
    public MediaLimits Limits { get; set; } = new();
}

/// <summary>Caps on what one upload may make the worker do.</summary>
public sealed class MediaLimits
{
    /// <summary>4 h.</summary>
    public double MaxDurationSeconds { get; set; } = 4 * 3600;

    /// <summary>Per side, stored or displayed (8K is 7680).</summary>
    public int MaxDimension { get; set; } = 8192;

    public double MaxFrameRate { get; set; } = 120;

    /// <summary>Video, audio, subtitle and data streams together.</summary>
    public int MaxStreams { get; set; } = 8;

    /// <summary>Overall bit rate, 200 Mbit/s: above ProRes 422 HQ at 1080p, far above any phone or camera H.264/HEVC.</summary>
    public long MaxBitRate { get; set; } = 200_000_000;
}

namespace StreamForge.Core.Playback;

public sealed class PlaybackOptions
{
    public const string Section = "Playback";

    /// <summary>Base URL of a CDN in front of the bucket (env CDN_URL); media URLs use it when set.</summary>
    public string? CdnUrl { get; set; }
}

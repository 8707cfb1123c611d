namespace StreamForge.Core.Playback;

public sealed class PlaybackOptions
{
    public const string Section = "Playback";

    /// <summary>Base URL of a CDN in front of the bucket (env CDN_URL); media URLs use it when set.</summary>
    public string? CdnUrl { get; set; }

    /// <summary>
    /// Signs playback tokens of private media (env PLAYBACK_TOKEN_SECRET); the CDN's secure_link check holds the same
    /// value. Base64url characters only (it sits inside the nginx config). Required outside Development.
    /// </summary>
    public string? TokenSecret { get; set; }

    /// <summary>How long a playback token handed out with a private video's URLs stays valid (never past a share link's expiry).</summary>
    public int TokenLifetimeMinutes { get; set; } = 240;
}

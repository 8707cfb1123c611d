namespace StreamForge.Core.Data;

/// <summary>
/// A one-time upload link: whoever holds its token may upload one video into the owning account, with the title,
/// quality cap and passthrough chosen when the link was made.
/// </summary>
public sealed class DirectUpload
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public User? User { get; set; }
    /// <summary>SHA-256 of the token; the token itself is shown once, to the creator.</summary>
    public string TokenHash { get; set; } = "";
    public string? Title { get; set; }
    public int? MaxQuality { get; set; }
    public string? Passthrough { get; set; }
    /// <summary>The visibility of the video the link creates; null = the uploader's choice (default unlisted).</summary>
    public VideoVisibility? Visibility { get; set; }
    /// <summary>The only browser origin allowed to use the token (e.g. https://partner.example); null = any.</summary>
    public string? AllowedOrigin { get; set; }
    /// <summary>Until when the link may start its upload; an upload started in time finishes under its session's own expiry.</summary>
    public DateTimeOffset ExpiresAt { get; set; }
    /// <summary>The video the link created; set once, atomically, by the first create.</summary>
    public Guid? VideoId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

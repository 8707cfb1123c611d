namespace StreamForge.Core.Data;

/// <summary>A link that lets whoever holds it watch one private video until it expires or its owner revokes it.</summary>
public sealed class ShareLink
{
    public Guid Id { get; set; }
    public Guid VideoId { get; set; }
    public Video? Video { get; set; }
    /// <summary>SHA-256 of the token; the token itself is shown once, to the creator.</summary>
    public string TokenHash { get; set; } = "";
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

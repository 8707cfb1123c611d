namespace StreamForge.Core.Data;

public sealed class RefreshToken
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public User? User { get; set; }
    /// <summary>SHA-256 of the token; the token itself is only ever in the cookie.</summary>
    public string TokenHash { get; set; } = "";
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public Guid? ReplacedById { get; set; }
    /// <summary>
    /// The login session: every rotation keeps it, and access tokens name it. The session is live while one of its
    /// tokens is neither revoked nor expired, so revoking them ends the session's access tokens as well.
    /// </summary>
    public Guid SessionId { get; set; }
}

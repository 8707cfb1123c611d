namespace StreamForge.Core.Data;

public sealed class User
{
    public Guid Id { get; set; }
    /// <summary>Lower-cased, trimmed; the unique login name.</summary>
    public string Email { get; set; } = "";
    public string PasswordHash { get; set; } = "";
    public string Role { get; set; } = Roles.User;
    /// <summary>Bytes of stored sources plus bytes reserved by open uploads.</summary>
    public long StorageUsedBytes { get; set; }
    /// <summary>Per-user override; null means the default for the role.</summary>
    public long? QuotaBytes { get; set; }
    /// <summary>When the owner proved they read this mailbox (confirmation link or password reset); null = never.</summary>
    public DateTimeOffset? EmailConfirmedAt { get; set; }
    /// <summary>
    /// Access tokens carry the stamp they were issued under; a new stamp (password reset) voids every one of them
    /// at once, before their expiry.
    /// </summary>
    public Guid SecurityStamp { get; set; } = Guid.NewGuid();
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public List<Video> Videos { get; set; } = [];
}

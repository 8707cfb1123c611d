namespace StreamForge.Core.Data;

/// <summary>A single-use token mailed to the account's address (password reset, email confirmation).</summary>
public sealed class AccountToken
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public User? User { get; set; }
    public string Purpose { get; set; } = AccountTokenPurpose.PasswordReset;
    /// <summary>SHA-256 of the token; the token itself exists only in the mail that carried it.</summary>
    public string TokenHash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    /// <summary>Set when the token was used, or when a newer token or a completed reset made it void.</summary>
    public DateTimeOffset? UsedAt { get; set; }
}

namespace StreamForge.Core.Data;

/// <summary>
/// A key another program uses to call the API for its account, limited to <see cref="Scopes"/>. Only the SHA-256 of
/// the secret is kept; the secret itself is shown once, when the key is made. Revoking a key deletes its row.
/// </summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public User? User { get; set; }
    public string Name { get; set; } = "";
    public List<string> Scopes { get; set; } = [];
    /// <summary>The first characters of the key, shown in lists so an owner can tell keys apart.</summary>
    public string Prefix { get; set; } = "";
    /// <summary>Lower-case hex SHA-256 of the whole key.</summary>
    public string Hash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Written at most about once a minute per key, so a busy key is not a write per request.</summary>
    public DateTimeOffset? LastUsedAt { get; set; }
}

namespace StreamForge.Api.Keys;

public sealed record CreateApiKeyRequest(string? Name, List<string>? Scopes);

/// <summary>A key as lists show it: never the secret.</summary>
public sealed record ApiKeyDto(Guid Id, string Name, List<string> Scopes, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

/// <param name="Key">The secret, shown this once; only its hash is stored.</param>
public sealed record ApiKeyCreated(Guid Id, string Name, List<string> Scopes, string Prefix, DateTimeOffset CreatedAt, string Key);

namespace StreamForge.Api.Watch;

/// <param name="ExpiresInHours">1 to 720; default 168 (a week).</param>
public sealed record CreateShareLinkRequest(int? ExpiresInHours);

/// <summary>A new share link; <paramref name="Token"/> (in <paramref name="Url"/>) is shown only here.</summary>
public sealed record ShareLinkCreated(Guid Id, string Url, string Token, DateTimeOffset ExpiresAt, DateTimeOffset CreatedAt);

public sealed record ShareLinkDto(Guid Id, DateTimeOffset ExpiresAt, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

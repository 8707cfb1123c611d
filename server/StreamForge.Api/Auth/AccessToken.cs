namespace StreamForge.Api.Auth;

public sealed record AccessToken(string Token, DateTimeOffset ExpiresAt);

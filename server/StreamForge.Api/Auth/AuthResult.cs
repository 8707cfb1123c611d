namespace StreamForge.Api.Auth;

public sealed record AuthResult(string AccessToken, DateTimeOffset ExpiresAt, AuthUser User);

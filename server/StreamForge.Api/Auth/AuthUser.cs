namespace StreamForge.Api.Auth;

public sealed record AuthUser(Guid Id, string Email, string Role);

namespace StreamForge.Api.Auth;

public sealed record PasswordResetRequest(string? Email);

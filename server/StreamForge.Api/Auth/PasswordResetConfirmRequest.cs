namespace StreamForge.Api.Auth;

public sealed record PasswordResetConfirmRequest(string? Token, string? NewPassword);

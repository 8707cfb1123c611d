namespace StreamForge.Api.Auth;

public sealed record CredentialsRequest(string? Email, string? Password);

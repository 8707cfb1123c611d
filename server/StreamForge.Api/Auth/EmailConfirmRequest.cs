namespace StreamForge.Api.Auth;

public sealed record EmailConfirmRequest(string? Token);

namespace StreamForge.Api.Me;

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

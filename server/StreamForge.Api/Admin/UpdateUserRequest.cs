namespace StreamForge.Api.Admin;

public sealed record UpdateUserRequest(string? Role, long? QuotaBytes, bool? ClearQuota);

namespace StreamForge.Api.Admin;

public sealed record AdminUserDto(Guid Id, string Email, string Role, long StorageUsedBytes, long? QuotaBytes, int VideoCount, DateTimeOffset CreatedAt);

namespace StreamForge.Api.Admin;

public sealed record StorageUser(Guid Id, string Email, long StorageUsedBytes, long? QuotaBytes);

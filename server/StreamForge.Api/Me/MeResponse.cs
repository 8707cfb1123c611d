namespace StreamForge.Api.Me;

/// <param name="EmailConfirmationRequired">Whether this service refuses uploads until the address is confirmed.</param>
public sealed record MeResponse(Guid Id, string Email, string Role, long StorageUsedBytes, long? QuotaBytes, DateTimeOffset CreatedAt,
    bool EmailConfirmed, bool EmailConfirmationRequired);

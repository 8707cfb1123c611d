namespace StreamForge.Api.Webhooks;

/// <summary>An endpoint as listed: never its secret.</summary>
public sealed record WebhookDto(Guid Id, string Url, IReadOnlyList<string> Events, DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt);

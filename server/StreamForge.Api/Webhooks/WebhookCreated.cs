namespace StreamForge.Api.Webhooks;

/// <param name="Secret">Signs every delivery (StreamForge-Signature); shown this once, never listed again.</param>
public sealed record WebhookCreated(Guid Id, string Url, IReadOnlyList<string> Events, string Secret, DateTimeOffset CreatedAt);

namespace StreamForge.Api.Webhooks;

/// <param name="Url">Where deliveries are POSTed: http(s), and a public address unless the server allows private targets.</param>
/// <param name="Events">At least one of video.created, video.playable, video.ready, video.failed, video.deleted, upload.expired.</param>
public sealed record CreateWebhookRequest(string? Url, string[]? Events);

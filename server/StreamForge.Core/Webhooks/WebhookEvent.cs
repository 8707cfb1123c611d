using StreamForge.Core.Videos;

namespace StreamForge.Core.Webhooks;

/// <summary>A delivery's body. <paramref name="Data"/> is the video as GET /api/v1/videos/{id} showed it when the event happened.</summary>
public sealed record WebhookEvent(Guid Id, string Type, DateTimeOffset CreatedAt, VideoDto Data);

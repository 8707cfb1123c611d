namespace StreamForge.Core.Events;

/// <summary>What the worker and API tell browsers about a video; travels as the NOTIFY payload.</summary>
public sealed record VideoEvent(Guid VideoId, Guid OwnerId, string Status, int Progress, string? Error = null, string? QueuedReason = null)
{
    public const string Channel = "video_events";
}

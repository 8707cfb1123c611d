namespace StreamForge.Core.Webhooks;

/// <summary>The event types an endpoint can subscribe to; <see cref="Videos.VideoLifecycle"/> records each one.</summary>
public static class WebhookEvents
{
    public const string VideoCreated = "video.created";
    /// <summary>The video can be watched while it is still processing (first time only).</summary>
    public const string VideoPlayable = "video.playable";
    public const string VideoReady = "video.ready";
    /// <summary>Processing failed for good, was cancelled, or the uploaded file was rejected.</summary>
    public const string VideoFailed = "video.failed";
    /// <summary>The video (or an unfinished upload) was removed; the data is the video as it was just before.</summary>
    public const string VideoDeleted = "video.deleted";
    public const string UploadExpired = "upload.expired";

    public static readonly IReadOnlyList<string> All = [VideoCreated, VideoPlayable, VideoReady, VideoFailed, VideoDeleted, UploadExpired];
}

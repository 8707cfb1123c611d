namespace StreamForge.Core.Data;

/// <summary>Where a video is in its lifecycle; stored and sent as its <see cref="Wire"/> name ("pending_upload").</summary>
public enum VideoStatus
{
    PendingUpload,
    Uploading,
    Processing,
    Ready,
    Failed,
}

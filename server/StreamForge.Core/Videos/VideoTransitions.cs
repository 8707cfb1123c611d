using StreamForge.Core.Data;

namespace StreamForge.Core.Videos;

/// <summary>
/// The lifecycle as a table: from which statuses each transition may start and where it leads. Pure, so it is tested
/// pair by pair; <see cref="VideoLifecycle"/> names exactly these statuses in its conditional updates.
/// </summary>
public static class VideoTransitions
{
    /// <summary>The status a removed video is announced with; never stored.</summary>
    public const string Deleted = "deleted";

    private static readonly VideoStatus[] Upload = [VideoStatus.PendingUpload, VideoStatus.Uploading];
    private static readonly VideoStatus[] Processing = [VideoStatus.Processing];

    private static readonly Dictionary<VideoTransition, (VideoStatus[] From, VideoStatus? To)> Table = new()
    {
        // No row exists before BeginUpload.
        [VideoTransition.BeginUpload] = ([], VideoStatus.PendingUpload),
        [VideoTransition.BeginImport] = ([], VideoStatus.Uploading),
        [VideoTransition.MarkUploading] = ([VideoStatus.PendingUpload], VideoStatus.Uploading),
        [VideoTransition.CompleteUpload] = (Upload, VideoStatus.Processing),
        [VideoTransition.RejectUpload] = (Upload, VideoStatus.Failed),
        [VideoTransition.MarkPlayable] = (Processing, VideoStatus.Processing),
        [VideoTransition.MarkReady] = (Processing, VideoStatus.Ready),
        [VideoTransition.Fail] = (Processing, VideoStatus.Failed),
        [VideoTransition.Cancel] = (Processing, VideoStatus.Failed),
        [VideoTransition.Requeue] = ([VideoStatus.Failed, VideoStatus.Ready], VideoStatus.Processing),
        [VideoTransition.ExpireUpload] = (Upload, VideoStatus.Failed),
        [VideoTransition.AbortUpload] = (Upload, null),
        [VideoTransition.Delete] = (Enum.GetValues<VideoStatus>(), null),
    };

    /// <summary>The statuses <paramref name="transition"/> may leave.</summary>
    public static VideoStatus[] From(VideoTransition transition) => Table[transition].From;

    /// <summary>The status it leads to; null when the video is removed.</summary>
    public static VideoStatus? To(VideoTransition transition) => Table[transition].To;

    /// <summary>The wire names of <see cref="From"/>, for SQL.</summary>
    public static string[] FromWire(VideoTransition transition) => Table[transition].From.Select(s => s.ToWire()).ToArray();

    public static bool Allows(VideoTransition transition, VideoStatus status) => Table[transition].From.Contains(status);
}

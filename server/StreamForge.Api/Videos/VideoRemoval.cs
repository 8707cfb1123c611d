using StreamForge.Core.Data;
using StreamForge.Core.Storage;
using StreamForge.Core.Uploads;
using StreamForge.Core.Videos;

namespace StreamForge.Api.Videos;

/// <summary>Hard delete: the lifecycle removes the rows and releases the quota (once), then the stored objects go.</summary>
public sealed class VideoRemoval(VideoLifecycle lifecycle, IStorageGateway storage, ILogger<VideoRemoval> log)
{
    public async Task<TransitionOutcome> RemoveAsync(Video video, UploadSession? session, CancellationToken ct)
    {
        var outcome = await lifecycle.DeleteAsync(video.Id, ct);
        if (outcome.Result != TransitionResult.Done) return outcome;
        try
        {
            if (session is { State: UploadState.Active }) await UploadCleanup.DiscardStorageAsync(session, storage, CancellationToken.None);
            await storage.DeleteAsync(video.SourceKey, CancellationToken.None);
            // Both locations: a move may have been under way, or have left a copy behind.
            foreach (var prefix in StorageKeys.AllMediaPrefixes(video.Id)) await storage.DeletePrefixAsync(prefix, CancellationToken.None);
        }
        catch (Exception e)
        {
            // The video is gone for everyone; leftovers cost storage only.
            log.LogWarning(e, "Could not remove the stored objects of deleted video {VideoId}", video.Id);
        }
        return outcome;
    }
}

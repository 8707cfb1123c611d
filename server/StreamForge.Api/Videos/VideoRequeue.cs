using StreamForge.Core.Data;
using StreamForge.Core.Storage;
using StreamForge.Core.Videos;

namespace StreamForge.Api.Videos;

/// <summary>
/// Puts a finished or failed video back in the processing queue (owner retry, admin requeue). The new round
/// publishes the next media version; a ready video keeps playing its current one until then.
/// </summary>
public sealed class VideoRequeue(IStorageGateway storage, VideoLifecycle lifecycle)
{
    public async Task<TransitionOutcome> RequeueAsync(Video video, RequeueBy by, CancellationToken ct)
    {
        // Only what completion measured and charged may be processed (the lifecycle insists on a completed upload);
        // and a source deleted after success cannot be processed again.
        if (await storage.GetSizeAsync(video.SourceKey, ct) is null)
            return new(TransitionResult.Conflict, "The source of this video is gone (the upload never finished); upload it again.");
        return await lifecycle.RequeueAsync(video.Id, by, ct);
    }
}

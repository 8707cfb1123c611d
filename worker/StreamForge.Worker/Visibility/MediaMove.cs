using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Core.Data;
using StreamForge.Core.Playback;
using StreamForge.Core.Processing;
using StreamForge.Core.Storage;
using StreamForge.Core.Videos;

namespace StreamForge.Worker.Visibility;

/// <summary>
/// Moves a video's current media to where its visibility wants it: private/{id}/ for private videos, media/{id}/
/// otherwise. Under the video's exclusive media lock (<see cref="MediaLocks"/>; busy → try again shortly): server-side
/// copy of every object of the current version, then one conditional UPDATE flips media_private and the stored URLs
/// (only if the version is the same and the video is not processing), then the old location is deleted. A processing
/// video is left alone: its ready transition schedules the move again.
/// </summary>
public sealed class MediaMove(
    IServiceScopeFactory scopes,
    IStorageGateway storage,
    MediaLocks locks,
    MediaUrls urls,
    IProcessingQueue queue,
    IOptions<StorageOptions> storageOptions,
    TimeProvider clock,
    ILogger<MediaMove> log)
{
    /// <summary>How soon a move blocked by a writer (poster, remux, captions) tries again.</summary>
    public static readonly TimeSpan BusyRetry = TimeSpan.FromSeconds(3);

    public async Task RunAsync(Guid videoId, CancellationToken ct)
    {
        await using var lease = await locks.TryEnterMoveAsync(videoId, ct);
        if (lease is null)
        {
            log.LogInformation("Media of {VideoId} is being written; moving it in {Delay}", videoId, BusyRetry);
            await queue.EnqueueMediaMoveAsync(videoId, BusyRetry, CancellationToken.None);
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StreamForgeDbContext>();
        var video = await db.Videos.AsNoTracking().SingleOrDefaultAsync(v => v.Id == videoId, ct);
        if (video is null) return;
        var wanted = video.Visibility == VideoVisibility.Private;
        if (wanted == video.MediaPrivate || video.MediaVersion < 1) return;
        if (video.Status == VideoStatus.Processing)
        {
            log.LogInformation("Video {VideoId} is processing; its media moves once it is ready", videoId);
            return;
        }

        var version = video.MediaVersion;
        var from = StorageKeys.MediaVersionPrefix(videoId, version, video.MediaPrivate);
        var to = StorageKeys.MediaVersionPrefix(videoId, version, wanted);
        var keys = await storage.ListKeysAsync(from, ct);
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = storageOptions.Value.UploadConcurrency, CancellationToken = ct },
            async (key, token) => await storage.CopyAsync(key, to + key[from.Length..], token));

        string? Moved(string? url) => url is null ? null
            : MediaUrls.Relative(url, videoId, version) is { } relative ? urls.Stored(videoId, version, relative, wanted) : url;
        var (manifest, poster, thumbs) = (Moved(video.ManifestUrl), Moved(video.PosterUrl), Moved(video.ThumbnailsVttUrl));
        var now = clock.GetUtcNow();
        var flipped = await db.Videos
            .Where(v => v.Id == videoId && v.MediaVersion == version && v.MediaPrivate == video.MediaPrivate && v.Status != VideoStatus.Processing)
            .ExecuteUpdateAsync(s => s
                .SetProperty(v => v.MediaPrivate, wanted)
                .SetProperty(v => v.ManifestUrl, manifest)
                .SetProperty(v => v.PosterUrl, poster)
                .SetProperty(v => v.ThumbnailsVttUrl, thumbs)
                .SetProperty(v => v.UpdatedAt, now), CancellationToken.None);
        if (flipped == 0)
        {
            // Reprocessed or deleted meanwhile: the copies serve nobody; a new ready transition schedules a new move.
            await storage.DeletePrefixAsync(to, CancellationToken.None);
            log.LogInformation("Media move of {VideoId} v{Version} abandoned: the video changed meanwhile", videoId, version);
            return;
        }

        // Every version at the old location goes: the current one now lives at the new one, older ones serve nobody.
        var removed = await storage.DeletePrefixAsync(StorageKeys.MediaPrefix(videoId, video.MediaPrivate), CancellationToken.None);
        log.LogInformation("Media of {VideoId} v{Version} moved to {Location}: {Copied} objects copied, {Removed} removed",
            videoId, version, wanted ? "private/" : "media/", keys.Count, removed);
    }
}

using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using StreamForge.Core.Storage;
using StreamForge.Media;

namespace StreamForge.Worker.Processing;

/// <summary>
/// Uploads a processed video's files under one media version, in parallel, each retried on transient storage faults,
/// then removes objects an earlier failed attempt left in that (still unpublished) version, so one correct set remains.
/// The one uploader of media: <see cref="GrowingPublisher"/> uploads through it while ffmpeg runs.
/// </summary>
public sealed class OutputPublisher(IStorageGateway storage, IOptions<StorageOptions> options, ILogger<OutputPublisher> log)
{
    private readonly ResiliencePipeline _retry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
            MaxRetryAttempts = 4,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
            OnRetry = a =>
            {
                log.LogWarning(a.Outcome.Exception, "Upload attempt {Attempt} failed; retrying in {Delay}", a.AttemptNumber + 1, a.RetryDelay);
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    /// <param name="alreadyUploaded">Immutable keys the growing publisher put up while ffmpeg ran (same bytes): not sent again.</param>
    public async Task PublishAsync(Guid videoId, int version, bool mediaPrivate, IReadOnlyList<OutputFile> files, IProgress<double> progress, CancellationToken ct, IReadOnlySet<string>? alreadyUploaded = null)
    {
        var done = 0;
        // Segments first, manifests last: a reader that sees the manifest finds everything it names.
        var (media, manifests) = (files.Where(f => f.CachePolicy == Media.CachePolicy.Immutable && alreadyUploaded?.Contains(f.Key) != true).ToList(),
            files.Where(f => f.CachePolicy != Media.CachePolicy.Immutable).ToList());
        var total = media.Count + manifests.Count;
        foreach (var batch in new[] { media, manifests })
        {
            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = options.Value.UploadConcurrency, CancellationToken = ct }, async (file, token) =>
            {
                await UploadFileAsync(videoId, version, mediaPrivate, file.Key, file.LocalPath, file.ContentType, file.CacheControl, token);
                progress.Report(Interlocked.Increment(ref done) / (double)total);
            });
        }

        var written = files.Select(f => StorageKeys.Media(videoId, version, f.Key, mediaPrivate)).ToHashSet();
        var stale = (await storage.ListKeysAsync(StorageKeys.MediaVersionPrefix(videoId, version, mediaPrivate), ct)).Where(k => !written.Contains(k)).ToList();
        foreach (var key in stale) await storage.DeleteAsync(key, ct);
        if (stale.Count > 0) log.LogInformation("Removed {Count} outputs of an earlier attempt of {VideoId} v{Version}", stale.Count, videoId, version);
    }

    public int UploadConcurrency => options.Value.UploadConcurrency;

    public Task UploadFileAsync(Guid videoId, int version, bool mediaPrivate, string key, string localPath, string contentType, string cacheControl, CancellationToken ct) =>
        _retry.ExecuteAsync(async t => await storage.UploadFileAsync(StorageKeys.Media(videoId, version, key, mediaPrivate), localPath, contentType, cacheControl, t), ct).AsTask();

    public Task UploadTextAsync(Guid videoId, int version, bool mediaPrivate, string key, string text, string cacheControl, CancellationToken ct) =>
        _retry.ExecuteAsync(async t => await storage.UploadTextAsync(StorageKeys.Media(videoId, version, key, mediaPrivate), text, MediaContentTypes.Of(key), cacheControl, t), ct).AsTask();

    /// <summary>Once a version is current, earlier ones (and pre-versioning objects) at its location are served by nobody.</summary>
    public async Task DeleteOtherVersionsAsync(Guid videoId, int version, bool mediaPrivate)
    {
        try
        {
            var current = StorageKeys.MediaVersionPrefix(videoId, version, mediaPrivate);
            var old = (await storage.ListKeysAsync(StorageKeys.MediaPrefix(videoId, mediaPrivate), CancellationToken.None)).Where(k => !k.StartsWith(current, StringComparison.Ordinal)).ToList();
            foreach (var key in old) await storage.DeleteAsync(key, CancellationToken.None);
            if (old.Count > 0) log.LogInformation("Removed {Count} objects of earlier media versions of {VideoId}", old.Count, videoId);
        }
        catch (Exception e)
        {
            // The video is ready and plays from the new version; leftovers cost storage only.
            log.LogWarning(e, "Could not remove earlier media versions of {VideoId}", videoId);
        }
    }
}

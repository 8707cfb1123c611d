using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Core.Data;
using StreamForge.Core.Playback;
using StreamForge.Core.Storage;
using StreamForge.Core.Videos;
using StreamForge.Media;

namespace StreamForge.Worker.Posters;

/// <summary>
/// Makes poster n of a ready video's published version: a frame of the highest rung (fetching only the one segment
/// that holds it), or the owner's uploaded image decoded and re-encoded. It is stored under a key of its own
/// (poster-{n}.jpg, immutable) and only then named by the video's posterUrl and manifest.json. A choice overtaken by
/// a newer one, or by a reprocess, is dropped unpublished.
/// </summary>
public sealed class PosterPipeline(
    IServiceScopeFactory scopes,
    IStorageGateway storage,
    PosterMaker maker,
    MediaUrls urls,
    MediaLocks locks,
    IOptions<WorkerOptions> workerOptions,
    TimeProvider clock,
    ILogger<PosterPipeline> log)
{
    public const string FrameSourcePrefix = "frame:";
    public const string ImageSource = "image";

    public static string PosterKey(int number) => string.Create(CultureInfo.InvariantCulture, $"poster-{number}.jpg");

    public async Task RunAsync(Guid videoId, int version, int number, string source, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StreamForgeDbContext>();
        var workDir = Path.Combine(workerOptions.Value.TempDirectory, $"poster-{videoId:N}-{number}");
        try
        {
            var video = await db.Videos.AsNoTracking().SingleOrDefaultAsync(v => v.Id == videoId, ct);
            if (video is null || video.PosterNumber != number)
            {
                log.LogInformation("Skipping poster {Number} of {VideoId}: deleted or overtaken by a newer choice", number, videoId);
                return;
            }

            if (video.Status != VideoStatus.Ready || video.MediaVersion != version)
            {
                await FinishAsync(db, videoId, number, "The video changed since the poster was chosen; choose again.", ct);
                return;
            }

            if (Directory.Exists(workDir)) Directory.Delete(workDir, recursive: true);
            Directory.CreateDirectory(workDir);
            // Held until the poster is published: a move of the media waits, so nothing is written where it just left.
            await using var lease = await locks.EnterWriterAsync(videoId, ct);
            var mediaPrivate = lease.MediaPrivate ?? false;
            var manifest = ManifestJson.Deserialize(await storage.ReadTextAsync(StorageKeys.Media(videoId, version, OutputLayout.ManifestJsonKey, mediaPrivate), ct)
                ?? throw new InvalidOperationException("manifest.json of this version is missing"));
            var rung = manifest.Video.MaxBy(v => (long)v.Width * v.Height) ?? throw new InvalidOperationException("the manifest has no video rendition");
            var (width, height) = maker.Commands.PosterSize(rung.Width, rung.Height);
            var output = Path.Combine(workDir, "poster.jpg");

            if (source.StartsWith(FrameSourcePrefix, StringComparison.Ordinal))
            {
                var at = double.Parse(source[FrameSourcePrefix.Length..], CultureInfo.InvariantCulture);
                var segment = rung.Segments.LastOrDefault(s => s.Start <= at) ?? rung.Segments[0];
                var track = Path.Combine(workDir, "track.mp4");
                await JoinAsync(videoId, version, mediaPrivate, [rung.Init, segment.Url], track, ct);
                // A seek past the segment's last frame would find none: stay a frame's length inside it.
                var offset = Math.Clamp(at - segment.Start, 0, Math.Max(0, segment.Duration - 0.1));
                await maker.FrameAsync(workDir, track, offset, width, height, output, ct);
            }
            else if (source == ImageSource)
            {
                var image = Path.Combine(workDir, "upload");
                await storage.DownloadToFileAsync(StorageKeys.PosterUpload(videoId, number), image, ct);
                var head = new byte[64 * 1024];
                int read;
                await using (var file = File.OpenRead(image)) read = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
                // The API checked the header already; reading it again here keeps the decoder's pixel limit tied to
                // the exact bytes being decoded.
                var header = ImageHeader.Read(head.AsSpan(0, read), out var problem)
                    ?? throw new MediaException(problem, isPermanent: true);
                await maker.ImageAsync(workDir, image, header, (long)header.Width * header.Height, width, output, ct);
            }
            else
            {
                throw new InvalidOperationException($"unknown poster source '{source}'");
            }

            var key = PosterKey(number);
            await storage.UploadFileAsync(StorageKeys.Media(videoId, version, key, mediaPrivate), output, MediaContentTypes.Of(key), CachePolicies.Of(key).CacheControl(), ct);
            await PublishAsync(db, videoId, version, mediaPrivate, number, key, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the choice stays preparing and Quartz recovers the job on another worker.
            throw;
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Poster {Number} of {VideoId} failed", number, videoId);
            var message = e is MediaException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            await FinishAsync(db, videoId, number, message.Length > 2000 ? message[..2000] : message, CancellationToken.None);
        }
        finally
        {
            try { if (Directory.Exists(workDir)) Directory.Delete(workDir, recursive: true); }
            catch (Exception e) { log.LogWarning(e, "Could not remove work folder {Dir}", workDir); }
            if (source == ImageSource && !ct.IsCancellationRequested)
            {
                await storage.DeleteAsync(StorageKeys.PosterUpload(videoId, number), CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// Under the video row's lock (the one caption changes take, as both rewrite manifest.json): points manifest.json
    /// and posterUrl at the new key, unless a newer choice or a reprocess came first.
    /// </summary>
    private async Task PublishAsync(StreamForgeDbContext db, Guid videoId, int version, bool mediaPrivate, int number, string key, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT 1 FROM videos WHERE id = {videoId} FOR UPDATE", ct);
        var video = await db.Videos.SingleOrDefaultAsync(v => v.Id == videoId, ct);
        if (video is null || video.PosterNumber != number) return;
        if (video.Status != VideoStatus.Ready || video.MediaVersion != version)
        {
            video.PosterStatus = "failed";
            video.PosterError = "The video changed since the poster was chosen; choose again.";
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return;
        }

        var jsonKey = StorageKeys.Media(videoId, version, OutputLayout.ManifestJsonKey, mediaPrivate);
        var manifest = ManifestJson.Deserialize(await storage.ReadTextAsync(jsonKey, ct) ?? throw new InvalidOperationException("manifest.json of this version is missing"));
        await storage.UploadTextAsync(jsonKey, ManifestJson.Serialize(manifest with { Poster = key }),
            MediaContentTypes.Of(OutputLayout.ManifestJsonKey), CachePolicies.Of(OutputLayout.ManifestJsonKey).CacheControl(), ct);
        video.PosterUrl = urls.Stored(videoId, version, key, mediaPrivate);
        video.PosterStatus = "ready";
        video.PosterError = null;
        video.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        log.LogInformation("Poster {Number} of {VideoId} v{Version} published", number, videoId, version);
    }

    private async Task FinishAsync(StreamForgeDbContext db, Guid videoId, int number, string error, CancellationToken ct)
    {
        await db.Videos.Where(v => v.Id == videoId && v.PosterNumber == number)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.PosterStatus, "failed").SetProperty(v => v.PosterError, error), ct);
    }

    /// <summary>init.mp4 followed by a segment is a complete fragmented MP4 of that stretch.</summary>
    private async Task JoinAsync(Guid videoId, int version, bool mediaPrivate, IReadOnlyList<string> keys, string path, CancellationToken ct)
    {
        var part = path + ".part";
        await using var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        foreach (var key in keys)
        {
            await storage.DownloadToFileAsync(StorageKeys.Media(videoId, version, key, mediaPrivate), part, ct);
            await using (var input = new FileStream(part, FileMode.Open, FileAccess.Read, FileShare.None, 1 << 16, useAsync: true))
            {
                await input.CopyToAsync(output, ct);
            }
        }

        File.Delete(part);
    }
}

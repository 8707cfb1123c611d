using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Core.Data;
using StreamForge.Core.Storage;
using StreamForge.Core.Videos;
using StreamForge.Media;

namespace StreamForge.Worker.Downloads;

/// <summary>
/// Makes the downloadable MP4 of one rung: fetch the rung's init + segments (and the audio's) of the published version
/// into two local fragmented MP4 files → remux without re-encoding → store under downloads/ in the same version →
/// mark the download row ready. A failure is recorded on the row; the next request tries again.
/// </summary>
public sealed class RemuxPipeline(
    IServiceScopeFactory scopes,
    IStorageGateway storage,
    RenditionRemuxer remuxer,
    MediaLocks locks,
    IOptions<WorkerOptions> workerOptions,
    TimeProvider clock,
    ILogger<RemuxPipeline> log)
{
    public async Task RunAsync(Guid videoId, int version, string rendition, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StreamForgeDbContext>();
        var row = await db.VideoDownloads.SingleOrDefaultAsync(d => d.VideoId == videoId && d.MediaVersion == version && d.Rendition == rendition, ct);
        if (row is null || row.Status != DownloadStatus.Preparing)
        {
            log.LogInformation("Skipping remux {VideoId} v{Version} {Rendition}: {State}", videoId, version, rendition, row?.Status ?? "no request");
            return;
        }

        var workDir = Path.Combine(workerOptions.Value.TempDirectory, $"remux-{videoId:N}-v{version}-{rendition}");
        try
        {
            var video = await db.Videos.AsNoTracking().SingleOrDefaultAsync(v => v.Id == videoId, ct);
            if (video is null || video.Status != VideoStatus.Ready || video.MediaVersion != version)
            {
                await FinishAsync(db, row, null, "The video changed since the download was requested; ask again.");
                return;
            }

            // Held until the MP4 is stored: a move of the media waits, so nothing is written where it just left.
            await using var lease = await locks.EnterWriterAsync(videoId, ct);
            var mediaPrivate = lease.MediaPrivate ?? false;
            var json = await storage.ReadTextAsync(StorageKeys.Media(videoId, version, OutputLayout.ManifestJsonKey, mediaPrivate), ct)
                ?? throw new InvalidOperationException("manifest.json of this version is missing");
            var manifest = ManifestJson.Deserialize(json);
            var rung = manifest.Video.SingleOrDefault(v => v.Id == rendition)
                ?? throw new InvalidOperationException($"the manifest has no rendition {rendition}");

            if (Directory.Exists(workDir)) Directory.Delete(workDir, recursive: true);
            Directory.CreateDirectory(workDir);
            var videoPath = Path.Combine(workDir, "video.mp4");
            await JoinAsync(videoId, version, mediaPrivate, rung.Init, rung.Segments, videoPath, ct);
            string? audioPath = null;
            if (manifest.Audio is { } audio)
            {
                audioPath = Path.Combine(workDir, "audio.mp4");
                await JoinAsync(videoId, version, mediaPrivate, audio.Init, audio.Segments, audioPath, ct);
            }

            var output = Path.Combine(workDir, "download.mp4");
            await remuxer.RemuxAsync(workDir, videoPath, audioPath, output, ct);
            var key = OutputLayout.DownloadKey(rendition);
            await storage.UploadFileAsync(StorageKeys.Media(videoId, version, key, mediaPrivate), output, MediaContentTypes.Of(key), CachePolicies.Of(key).CacheControl(), ct);
            await FinishAsync(db, row, new FileInfo(output).Length, null);
            log.LogInformation("Download {VideoId} v{Version} {Rendition} ready ({Bytes} bytes)", videoId, version, rendition, row.SizeBytes);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the row stays preparing and Quartz recovers the job on another worker.
            throw;
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Remux of {VideoId} v{Version} {Rendition} failed", videoId, version, rendition);
            var message = e is MediaException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            await FinishAsync(db, row, null, message.Length > 2000 ? message[..2000] : message);
        }
        finally
        {
            try { if (Directory.Exists(workDir)) Directory.Delete(workDir, recursive: true); }
            catch (Exception e) { log.LogWarning(e, "Could not remove work folder {Dir}", workDir); }
        }
    }

    /// <summary>init.mp4 followed by the segments in order is a complete fragmented MP4 of the track.</summary>
    private async Task JoinAsync(Guid videoId, int version, bool mediaPrivate, string init, IReadOnlyList<ManifestSegment> segments, string path, CancellationToken ct)
    {
        var part = path + ".part";
        await using var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        foreach (var key in segments.Select(s => s.Url).Prepend(init))
        {
            await storage.DownloadToFileAsync(StorageKeys.Media(videoId, version, key, mediaPrivate), part, ct);
            await using (var input = new FileStream(part, FileMode.Open, FileAccess.Read, FileShare.None, 1 << 16, useAsync: true))
            {
                await input.CopyToAsync(output, ct);
            }
        }

        File.Delete(part);
    }

    private async Task FinishAsync(StreamForgeDbContext db, VideoDownload row, long? size, string? error)
    {
        row.Status = error is null ? DownloadStatus.Ready : DownloadStatus.Failed;
        row.SizeBytes = size;
        row.Error = error;
        row.FinishedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(CancellationToken.None);
    }
}

using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Api.Videos;
using StreamForge.Core.Data;
using StreamForge.Core.Playback;
using StreamForge.Core.Videos;
using StreamForge.Core.Processing;
using StreamForge.Core.Storage;
using StreamForge.Media;

namespace StreamForge.Api.Posters;

/// <summary>
/// The owner's choice of poster for a ready video: a thumbnail tile, an instant, or an uploaded image. The API only
/// checks and records the choice (and stores an upload as received); a worker decodes, encodes and publishes it, so
/// no image or video is ever decoded in the API process.
/// </summary>
public sealed class PosterService(
    StreamForgeDbContext db, IStorageGateway storage, IProcessingQueue queue, MediaUrls urls, VideoMapper mapper, IOptions<PosterOptions> options, TimeProvider clock)
{
    public const string Preparing = "preparing";

    public async Task<PosterDto?> GetAsync(Guid id, ClaimsPrincipal principal, CancellationToken ct)
    {
        var video = await db.Videos.AsNoTracking().VisibleTo(principal).SingleOrDefaultAsync(v => v.Id == id, ct);
        return video is null ? null : ToDto(video);
    }

    public async Task<PosterOutcome> ChooseFrameAsync(Guid id, SetPosterRequest request, ClaimsPrincipal principal, CancellationToken ct)
    {
        var video = await db.Videos.VisibleTo(principal).SingleOrDefaultAsync(v => v.Id == id, ct);
        if (video is null) return PosterOutcome.VideoNotFound;
        if (request.FromSprite is null == request.AtSeconds is null)
            return PosterOutcome.InvalidField("fromSprite", "Give exactly one of fromSprite (a thumbnail tile) and atSeconds (a time in the video).");
        if (NotReady(video) is { } notReady) return notReady;

        var duration = video.DurationSeconds ?? 0;
        double at;
        if (request.FromSprite is { } tile)
        {
            var manifest = ManifestJson.Deserialize(await storage.ReadTextAsync(StorageKeys.Media(id, video.MediaVersion, OutputLayout.ManifestJsonKey, video.MediaPrivate), ct)
                ?? throw new InvalidOperationException($"manifest.json of video {id} v{video.MediaVersion} is missing"));
            var interval = Math.Max(1, manifest.Thumbnails.Interval);
            // Tile i is the first frame at or after i × interval (FfmpegCommandBuilder), so there is one per started interval.
            var tiles = Math.Max(1, (int)Math.Ceiling(manifest.Duration / interval));
            if (tile < 0 || tile >= tiles)
                return PosterOutcome.InvalidField("fromSprite", $"fromSprite must be a thumbnail tile from 0 to {tiles - 1}.");
            at = (double)tile * interval;
        }
        else
        {
            at = request.AtSeconds!.Value;
            if (!double.IsFinite(at) || at < 0 || at >= duration)
                return PosterOutcome.InvalidField("atSeconds", string.Create(CultureInfo.InvariantCulture, $"atSeconds must be a time in the video, from 0 to below {duration:0.###}."));
        }

        return await RecordAsync(video, "frame:" + at.ToString("0.###", CultureInfo.InvariantCulture), null, ct);
    }

    public async Task<PosterOutcome> ChooseImageAsync(Guid id, Stream body, long? contentLength, string? contentType, ClaimsPrincipal principal, CancellationToken ct)
    {
        var video = await db.Videos.VisibleTo(principal).SingleOrDefaultAsync(v => v.Id == id, ct);
        if (video is null) return PosterOutcome.VideoNotFound;
        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not ("image/jpeg" or "image/png"))
            return PosterOutcome.UnsupportedType("Send the poster as image/jpeg or image/png.");
        if (NotReady(video) is { } notReady) return notReady;

        var limits = options.Value;
        var bytes = await ReadBodyAsync(body, contentLength, limits.MaxBytes, ct);
        if (bytes is null) return PosterOutcome.TooLarge(string.Create(CultureInfo.InvariantCulture, $"A poster image may be at most {limits.MaxBytes:N0} bytes."));
        if (ImageHeader.Read(bytes, out var problem) is not { } header) return PosterOutcome.InvalidImage(problem);
        if (header.Width > limits.MaxDimension || header.Height > limits.MaxDimension)
            return PosterOutcome.InvalidImage(string.Create(CultureInfo.InvariantCulture,
                $"The image is {header.Width}×{header.Height} pixels; a poster may be at most {limits.MaxDimension}×{limits.MaxDimension}."));
        return await RecordAsync(video, "image", bytes, ct);
    }

    /// <summary>
    /// Hands out the next poster number under the video row's lock (so two choices never share a key, and a reprocess
    /// cannot start half-way), stores an upload as received under raw/, then schedules the worker.
    /// </summary>
    private async Task<PosterOutcome> RecordAsync(Video video, string source, byte[]? upload, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT 1 FROM videos WHERE id = {video.Id} FOR UPDATE", ct);
        await db.Entry(video).ReloadAsync(ct);
        if (NotReady(video) is { } notReady) return notReady;
        video.PosterNumber++;
        video.PosterStatus = Preparing;
        video.PosterError = null;
        video.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        if (upload is not null)
        {
            var temp = Path.GetTempFileName();
            try
            {
                await File.WriteAllBytesAsync(temp, upload, ct);
                await storage.UploadFileAsync(StorageKeys.PosterUpload(video.Id, video.PosterNumber), temp, "application/octet-stream", null, ct);
            }
            finally
            {
                File.Delete(temp);
            }
        }

        await tx.CommitAsync(ct);
        await queue.EnqueuePosterAsync(video.Id, video.MediaVersion, video.PosterNumber, source, ct);
        return PosterOutcome.Accepted(ToDto(video));
    }

    private static PosterOutcome? NotReady(Video video) =>
        video.Status == VideoStatus.Ready && video.MediaVersion >= 1
            ? null
            : PosterOutcome.Conflict($"The poster can be chosen once the video is ready; this one is {video.Status.ToWire()}.");

    /// <summary>A reprocessed video shows its new version's own poster.jpg again: a "ready" choice of the old version no longer applies.</summary>
    private PosterDto ToDto(Video video)
    {
        var ownPoster = video.PosterUrl?.EndsWith("/" + OutputLayout.PosterKey, StringComparison.Ordinal) ?? true;
        var status = video.PosterStatus is null || (video.PosterStatus == "ready" && ownPoster) ? "default" : video.PosterStatus;
        return new PosterDto(status, urls.Rewrite(video, video.PosterUrl, mapper.CurrentAccess), video.PosterError);
    }

    /// <summary>Reads at most <paramref name="max"/> bytes; null when the body is longer (it is not read to its end).</summary>
    private static async Task<byte[]?> ReadBodyAsync(Stream body, long? contentLength, int max, CancellationToken ct)
    {
        if (contentLength > max) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > max) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}

using System.Security.Claims;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Api.Infrastructure;
using StreamForge.Api.Videos;
using StreamForge.Core.Data;
using StreamForge.Core.Processing;
using StreamForge.Core.Storage;
using StreamForge.Media;

namespace StreamForge.Api.Downloads;

/// <summary>
/// Owner and admin downloads: the original upload, and one rung of a ready video as a single MP4. The MP4 is a remux
/// of the rung's own segments made by a worker on the first request and kept in storage for later ones.
/// </summary>
public sealed class DownloadService(
    StreamForgeDbContext db, IStorageGateway storage, IProcessingQueue queue, IOptions<DownloadOptions> options, TimeProvider clock)
{
    public async Task<DownloadOutcome> OriginalAsync(Guid id, ClaimsPrincipal principal, CancellationToken ct)
    {
        var video = await db.Videos.AsNoTracking().VisibleTo(principal).SingleOrDefaultAsync(v => v.Id == id, ct);
        if (video is null) return DownloadOutcome.VideoNotFound;
        var completed = await db.UploadSessions.AnyAsync(s => s.VideoId == id && s.State == UploadState.Completed, ct);
        if (!completed || await storage.HeadAsync(video.SourceKey, ct) is null)
            return DownloadOutcome.Unavailable(completed ? "The original file is no longer stored." : "The upload of this video has not been completed.");
        var lifetime = options.Value.UrlLifetime;
        var name = SafeFileName(video.FileName, "video");
        var url = storage.PresignGet(video.SourceKey, lifetime, Attachment(name));
        return DownloadOutcome.Ready(new DownloadDto(DownloadStatus.Ready, name, url, clock.GetUtcNow().Add(lifetime), video.SizeBytes));
    }

    public async Task<DownloadOutcome> RenditionAsync(Guid id, string rendition, ClaimsPrincipal principal, CancellationToken ct)
    {
        var video = await db.Videos.AsNoTracking().VisibleTo(principal).SingleOrDefaultAsync(v => v.Id == id, ct);
        if (video is null) return DownloadOutcome.VideoNotFound;
        if (video.Status != VideoStatus.Ready || video.MediaVersion < 1)
            return DownloadOutcome.Unavailable($"Renditions can be downloaded once the video is ready; this one is {video.Status.ToWire()}.");
        if (!RenditionIds(video).Contains(rendition))
            return DownloadOutcome.RenditionNotFound($"The rendition '{Shorten(rendition)}'");

        var name = SafeFileName($"{Path.GetFileNameWithoutExtension(video.FileName)}-{rendition}.mp4", $"video-{rendition}.mp4");
        var version = video.MediaVersion;
        var mediaPrivate = video.MediaPrivate;
        var now = clock.GetUtcNow();
        // One row per (video, version, rung): of concurrent first requests exactly one inserts it and schedules the job.
        var inserted = await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO video_downloads (video_id, media_version, rendition, status, attempts, requested_at)
            VALUES ({id}, {version}, {rendition}, {DownloadStatus.Preparing}, 1, {now})
            ON CONFLICT DO NOTHING
            """, ct);
        if (inserted == 0)
        {
            // A failed remux, or one whose job was lost, is tried again by the next request, again by one winner only.
            var stale = now - options.Value.PreparingTimeout;
            inserted = await db.VideoDownloads
                .Where(d => d.VideoId == id && d.MediaVersion == version && d.Rendition == rendition
                    && (d.Status == DownloadStatus.Failed || (d.Status == DownloadStatus.Preparing && d.RequestedAt < stale)))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.Status, DownloadStatus.Preparing)
                    .SetProperty(d => d.Attempts, d => d.Attempts + 1)
                    .SetProperty(d => d.Error, (string?)null)
                    .SetProperty(d => d.RequestedAt, now), ct);
        }
        if (inserted == 1)
        {
            await queue.EnqueueRemuxAsync(id, version, rendition, ct);
            return Preparing(name);
        }

        var row = await db.VideoDownloads.AsNoTracking().SingleAsync(d => d.VideoId == id && d.MediaVersion == version && d.Rendition == rendition, ct);
        if (row.Status != DownloadStatus.Ready) return Preparing(name);
        var lifetime = options.Value.UrlLifetime;
        var url = storage.PresignGet(StorageKeys.Media(id, version, OutputLayout.DownloadKey(rendition), mediaPrivate), lifetime, Attachment(name));
        return DownloadOutcome.Ready(new DownloadDto(DownloadStatus.Ready, name, url, now.Add(lifetime), row.SizeBytes));
    }

    private static DownloadOutcome Preparing(string name) =>
        DownloadOutcome.Preparing(new DownloadDto(DownloadStatus.Preparing, name, null, null, null));

    /// <summary>The rung ids the worker recorded when the video became ready.</summary>
    internal static IReadOnlyList<string> RenditionIds(Video video)
    {
        return StreamForge.Core.Videos.MediaFactsJson.ReadRenditions(video.RenditionsJson).Select(r => r.Id).ToList();
    }

    /// <summary>
    /// RFC 6266: a plain ASCII fallback for old clients and the exact name as RFC 5987 UTF-8 (<c>filename*</c>),
    /// which browsers prefer.
    /// </summary>
    internal static string Attachment(string fileName)
    {
        var ascii = new string(fileName.Select(c => c is >= ' ' and < (char)127 && c is not '"' and not '\\' and not '%' ? c : '_').ToArray());
        return $"attachment; filename=\"{ascii}\"; filename*=UTF-8''{Uri.EscapeDataString(fileName)}";
    }

    private const int MaxFileNameLength = 150;

    /// <summary>Longer "extensions" ("a.bbbb…") are part of the name: keeping them whole would leave no room for the stem.</summary>
    private const int MaxExtensionLength = 16;

    /// <summary>
    /// A name that is safe as a saved file: no paths, control or bidi characters, no half of a surrogate pair (which
    /// cannot be percent-encoded), at most 150 characters with a short extension kept.
    /// </summary>
    internal static string SafeFileName(string name, string fallback)
    {
        var cleaned = new StringBuilder(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                cleaned.Append(c).Append(name[++i]);
                continue;
            }
            cleaned.Append(char.IsControl(c) || char.IsSurrogate(c) || c is '/' or '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|' || InputRules.HasBidiControl(c.ToString()) ? '_' : c);
        }
        var result = cleaned.ToString().Trim().Trim('.');
        if (result.Length > MaxFileNameLength)
        {
            var ext = Path.GetExtension(result);
            if (ext.Length > MaxExtensionLength) ext = "";
            result = Cut(result[..^ext.Length], MaxFileNameLength - ext.Length).TrimEnd().TrimEnd('.') + ext;
        }
        return result.Trim('.').Length == 0 ? fallback : result;
    }

    /// <summary>The first <paramref name="max"/> UTF-16 units, never ending in the first half of a pair.</summary>
    private static string Cut(string text, int max)
    {
        if (text.Length <= max) return text;
        return text[..(char.IsHighSurrogate(text[max - 1]) ? max - 1 : max)];
    }

    private static string Shorten(string text) => text.Length <= 20 ? text : text[..20] + "…";
}

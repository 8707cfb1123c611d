using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Api.Infrastructure;
using StreamForge.Api.Videos;
using StreamForge.Core.Data;
using StreamForge.Core.Processing;
using StreamForge.Core.Storage;
using StreamForge.Media;

namespace StreamForge.Api.Downloads;

/// <param name="Status">"preparing" (ask again shortly) or "ready" (follow <see cref="Url"/>).</param>
/// <param name="Url">Presigned GET that answers with Content-Disposition: attachment; null while preparing.</param>
public sealed record DownloadDto(string Status, string FileName, string? Url, DateTimeOffset? ExpiresAt, long? SizeBytes);

/// <summary>
/// Owner and admin downloads: the original upload, and one rung of a ready video as a single MP4. The MP4 is a remux
/// of the rung's own segments made by a worker on the first request and kept in storage for later ones.
/// </summary>
public static class DownloadsApi
{
    public static RouteGroupBuilder MapDownloadsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/videos/{id:guid}/downloads").WithTags("Downloads").RequireAuthorization();
        group.MapGet("/original", Original).WithName("DownloadOriginal")
            .WithSummary("A short-lived link that downloads the uploaded file under its original name");
        group.MapPost("/{rendition}", Rendition).WithName("DownloadRendition")
            .WithSummary("An MP4 of one rendition: 202 while it is being made (ask again), 200 with a link once it exists")
            .WithDescription("rendition is a rung id from the video's renditions (720p). The first request starts one remux (no re-encode); concurrent and later requests share it.");
        return group;
    }

    private static async Task<Results<Ok<DownloadDto>, ProblemHttpResult>> Original(
        Guid id, ClaimsPrincipal principal, StreamForgeDbContext db, IStorageGateway storage, IOptions<DownloadOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var video = await db.Videos.AsNoTracking().VisibleTo(principal).SingleOrDefaultAsync(v => v.Id == id, ct);
        if (video is null) return Problems.NotFound("The video");
        var completed = await db.UploadSessions.AnyAsync(s => s.VideoId == id && s.State == UploadState.Completed, ct);
        if (!completed || await storage.HeadAsync(video.SourceKey, ct) is null)
            return Problems.Conflict(completed ? "The original file is no longer stored." : "The upload of this video has not been completed.");
        var lifetime = options.Value.UrlLifetime;
        var name = SafeFileName(video.FileName, "video");
        var url = storage.PresignGet(video.SourceKey, lifetime, Attachment(name));
        return TypedResults.Ok(new DownloadDto(DownloadStatus.Ready, name, url, clock.GetUtcNow().Add(lifetime), video.SizeBytes));
    }

    private static async Task<Results<Ok<DownloadDto>, Accepted<DownloadDto>, ProblemHttpResult>> Rendition(
        Guid id, string rendition, ClaimsPrincipal principal, StreamForgeDbContext db, IStorageGateway storage, IProcessingQueue queue,
        IOptions<DownloadOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var video = await db.Videos.AsNoTracking().VisibleTo(principal).SingleOrDefaultAsync(v => v.Id == id, ct);
        if (video is null) return Problems.NotFound("The video");
        if (video.Status != VideoStatus.Ready || video.MediaVersion < 1)
            return Problems.Conflict($"Renditions can be downloaded once the video is ready; this one is {video.Status.ToWire()}.");
        if (!RenditionIds(video).Contains(rendition))
            return Problems.NotFound($"The rendition '{Shorten(rendition)}'");

        var name = SafeFileName($"{Path.GetFileNameWithoutExtension(video.FileName)}-{rendition}.mp4", $"video-{rendition}.mp4");
        var version = video.MediaVersion;
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
            return Preparing(id, rendition, name);
        }

        var row = await db.VideoDownloads.AsNoTracking().SingleAsync(d => d.VideoId == id && d.MediaVersion == version && d.Rendition == rendition, ct);
        if (row.Status != DownloadStatus.Ready) return Preparing(id, rendition, name);
        var lifetime = options.Value.UrlLifetime;
        var url = storage.PresignGet(StorageKeys.Media(id, version, OutputLayout.DownloadKey(rendition)), lifetime, Attachment(name));
        return TypedResults.Ok(new DownloadDto(DownloadStatus.Ready, name, url, now.Add(lifetime), row.SizeBytes));
    }

    private static Accepted<DownloadDto> Preparing(Guid id, string rendition, string name) =>
        TypedResults.Accepted($"/api/v1/videos/{id}/downloads/{rendition}", new DownloadDto(DownloadStatus.Preparing, name, null, null, null));

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

    /// <summary>A name that is safe as a saved file: no paths, control or bidi characters, at most 150 characters.</summary>
    internal static string SafeFileName(string name, string fallback)
    {
        var cleaned = new StringBuilder(name.Length);
        foreach (var c in name)
            cleaned.Append(char.IsControl(c) || c is '/' or '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|' || InputRules.HasBidiControl(c.ToString()) ? '_' : c);
        var result = cleaned.ToString().Trim().Trim('.');
        if (result.Length > 150)
        {
            var ext = Path.GetExtension(result);
            result = result[..(150 - ext.Length)] + ext;
        }
        return result.Length == 0 ? fallback : result;
    }

    private static string Shorten(string text) => text.Length <= 20 ? text : text[..20] + "…";
}

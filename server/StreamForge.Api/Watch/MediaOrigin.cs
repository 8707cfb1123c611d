using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Api.Infrastructure;
using StreamForge.Core.Data;
using StreamForge.Core.Playback;
using StreamForge.Core.Storage;

namespace StreamForge.Api.Watch;

/// <summary>
/// Serves private media to holders of a playback token: the origin the CDN fetches from (it checks the same token
/// first), and the player's own source when no CDN is configured. The object comes from storage with its stored
/// Content-Type and Cache-Control; nothing about the caller (cookies, session) counts, only the token.
/// </summary>
public static class MediaOrigin
{
    public const string Route = MediaUrls.MediaRoute + "/p/{token}/private/{id:guid}/v{version:int}/{**path}";

    public static async Task<IResult> ServeAsync(
        string token, Guid id, int version, string path, HttpContext context, StreamForgeDbContext db, IStorageGateway storage,
        IOptions<PlaybackOptions> options, TimeProvider clock, CancellationToken ct)
    {
        context.Response.Headers.AccessControlAllowOrigin = "*";
        var secret = options.Value.TokenSecret;
        var check = string.IsNullOrEmpty(secret) ? PlaybackTokenCheck.BadSignature : PlaybackTokens.Check(token, id, version, clock.GetUtcNow(), secret);
        if (check != PlaybackTokenCheck.Valid)
            return Problems.Create(StatusCodes.Status403Forbidden, "playback-token", "Invalid playback token", check switch
            {
                PlaybackTokenCheck.Expired => "The playback token has expired; reload the video to get a fresh one.",
                _ => "The playback token is missing, malformed or not for this video and version.",
            });
        if (!IsSafeRelativePath(path)) return Problems.NotFound("The media file");
        var current = await db.Videos.AsNoTracking().Where(v => v.Id == id)
            .Select(v => new { v.MediaPrivate, v.MediaVersion }).SingleOrDefaultAsync(ct);
        if (current is null || !current.MediaPrivate || current.MediaVersion != version) return Problems.NotFound("The media file");

        StoredStream? stored;
        try
        {
            stored = await storage.OpenReadAsync(StorageKeys.Media(id, version, path, mediaPrivate: true), context.Request.Headers.Range.ToString() is { Length: > 0 } r ? r : null, ct);
        }
        catch (StorageException e) when (e.Failure == StorageFailure.Refused)
        {
            return Problems.Create(StatusCodes.Status416RangeNotSatisfiable, "range-not-satisfiable", "Range not satisfiable", "The requested range lies outside the file.");
        }
        if (stored is null) return Problems.NotFound("The media file");
        context.Response.RegisterForDisposeAsync(stored);
        var headers = context.Response.Headers;
        headers.AcceptRanges = "bytes";
        if (stored.CacheControl is { } cache) headers.CacheControl = cache;
        if (stored.ETag is { } etag) headers.ETag = etag;
        if (stored.ContentRange is { } range)
        {
            headers.ContentRange = range;
            context.Response.StatusCode = StatusCodes.Status206PartialContent;
        }
        context.Response.ContentLength = stored.Length;
        context.Response.ContentType = stored.ContentType ?? "application/octet-stream";
        return new StoredBody(stored.Body);
    }

    /// <summary>A key below the version's folder: no empty, dot or dot-dot segments, no backslashes, bounded length.</summary>
    internal static bool IsSafeRelativePath(string path) =>
        path.Length is > 0 and <= 512 && !path.Contains('\\') && path.Split('/').All(s => s.Length > 0 && s != "." && s != "..");

    /// <summary>Copies the body as is: status, length and type are already set (a range answer keeps its 206).</summary>
    private sealed class StoredBody(Stream body) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            if (HttpMethods.IsHead(context.Request.Method)) return;
            await body.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }
}

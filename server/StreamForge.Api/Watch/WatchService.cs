using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using StreamForge.Api.Infrastructure;
using StreamForge.Api.Keys;
using StreamForge.Api.Videos;
using StreamForge.Api.Web;
using StreamForge.Core.Data;
using StreamForge.Core.Playback;
using StreamForge.Core.Videos;
using StreamForge.Media;

namespace StreamForge.Api.Watch;

/// <summary>
/// What a viewer may watch: public and unlisted videos once playable, for anyone; private ones for the owner, admins
/// and holders of a live share link. Everyone else learns only that the video is private.
/// </summary>
public sealed class WatchService(StreamForgeDbContext db, MediaUrls urls, RequestMediaAccess access, ShareLinks shares)
{
    public const int MaxPageSize = 50;

    public async Task<WatchOutcome> GetAsync(Guid id, string? share, HttpContext context, CancellationToken ct)
    {
        var video = await db.Videos.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id, ct);
        if (video is null) return WatchOutcome.NotFound;
        var caller = Caller(context.User);
        var isOwner = caller == video.OwnerId;
        var privileged = isOwner || (caller is not null && context.User.IsAdmin());
        if (video.Visibility == VideoVisibility.Private && !privileged)
        {
            if (share is null || await shares.FindLiveAsync(id, share, ct) is not { } link) return WatchOutcome.Private;
            access.Narrow(context, link.ExpiresAt);
        }
        // Like the unfurl rule: nothing to show a viewer before the video can be watched (its owner still sees it).
        if (!privileged && !WatchPages.Playable(video)) return WatchOutcome.NotFound;
        var captions = await db.Captions.AsNoTracking().Where(c => c.VideoId == id).OrderBy(c => c.Lang).ToListAsync(ct);
        return WatchOutcome.Found(ToDto(video, captions, isOwner, access.Current));
    }

    public async Task<Outcome<PagedList<WatchDto>>> ListPublicAsync(int? page, int? pageSize, CancellationToken ct)
    {
        if (Paging.Check(page) is { } badPage) return badPage;
        var (p, size) = Paging.Clamp(page, pageSize, 20, MaxPageSize);
        var listed = db.Videos.Where(v => v.Visibility == VideoVisibility.Public && v.Status == VideoStatus.Ready);
        var total = await listed.CountAsync(ct);
        var rows = await listed.OrderByDescending(v => v.CreatedAt).ThenBy(v => v.Id).Skip((p - 1) * size).Take(size).AsNoTracking().ToListAsync(ct);
        // Public media needs no token; captions are left to each video's own page.
        return new PagedList<WatchDto>(rows.Select(v => ToDto(v, [], false, access.Current)).ToList(), total, p, size);
    }

    /// <summary>
    /// The account whose rights count here: a session's, or an API key's that may read videos; a direct-upload token
    /// (or a key without videos:read) watches like anyone.
    /// </summary>
    private static Guid? Caller(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true) return null;
        var kind = CallerKinds.Of(principal);
        if (kind == CallerKinds.DirectUpload || (kind == CallerKinds.ApiKey && !principal.HasClaim(CallerKinds.ScopeClaim, ApiScopes.VideosRead))) return null;
        return Guid.TryParse(principal.FindFirst("sub")?.Value, out var id) ? id : null;
    }

    private WatchDto ToDto(Video v, IReadOnlyList<Caption> captions, bool isOwner, MediaAccess? viewer)
    {
        var playable = WatchPages.Playable(v);
        string? Url(string relative) => playable ? urls.Current(v, relative, viewer) : null;
        return new WatchDto(
            v.Id, v.Title, v.DurationSeconds, v.Status.ToWire(), v.Visibility.ToWire(), isOwner,
            playable ? urls.Rewrite(v, v.ManifestUrl, viewer) : null, Url(OutputLayout.ManifestMpdKey), Url(HlsWriter.MasterKey),
            urls.Rewrite(v, v.PosterUrl, viewer),
            captions.Select(c => CaptionTrackDto.From(c, v, urls, viewer)).ToList(), playable);
    }
}

public sealed record WatchOutcome(WatchDto? Video, bool IsPrivate)
{
    public static readonly WatchOutcome NotFound = new(null, false);
    public static readonly WatchOutcome Private = new(null, true);
    public static WatchOutcome Found(WatchDto video) => new(video, false);
}

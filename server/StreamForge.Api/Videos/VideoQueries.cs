using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using StreamForge.Api.DirectUploads;
using StreamForge.Api.Infrastructure;
using StreamForge.Core.Data;
using StreamForge.Core.Videos;

namespace StreamForge.Api.Videos;

public static class VideoQueries
{
    public const int MaxPageSize = 100;

    /// <summary>The videos a caller may see: their own, or all for admins.</summary>
    public static IQueryable<Video> VisibleTo(this IQueryable<Video> videos, ClaimsPrincipal principal) =>
        principal.IsAdmin() ? videos : videos.Where(v => v.OwnerId == principal.UserId());

    /// <summary>The upload sessions a caller may touch: those of the videos <see cref="VisibleTo(IQueryable{Video}, ClaimsPrincipal)"/> shows them;
    /// an upload link's token only the upload it created.</summary>
    public static IQueryable<UploadSession> VisibleTo(this IQueryable<UploadSession> sessions, ClaimsPrincipal principal)
    {
        if (principal.IsAdmin()) return sessions;
        var owner = principal.UserId();
        var own = sessions.Where(s => s.Video!.OwnerId == owner);
        if (!principal.IsDirectUpload()) return own;
        var only = principal.DirectUploadVideoId();
        return only is { } videoId ? own.Where(s => s.VideoId == videoId) : own.Where(s => false);
    }

    public static IQueryable<Video> Sorted(this IQueryable<Video> videos, string? sort) => sort switch
    {
        "created_asc" => videos.OrderBy(v => v.CreatedAt),
        "title_asc" => videos.OrderBy(v => v.Title).ThenByDescending(v => v.CreatedAt),
        "title_desc" => videos.OrderByDescending(v => v.Title).ThenByDescending(v => v.CreatedAt),
        "size_desc" => videos.OrderByDescending(v => v.SizeBytes).ThenByDescending(v => v.CreatedAt),
        _ => videos.OrderByDescending(v => v.CreatedAt),
    };

    public static readonly string[] Sorts = ["created_desc", "created_asc", "title_asc", "title_desc", "size_desc"];

    public static async Task<PagedList<VideoDto>> PageAsync(this IQueryable<Video> videos, int? page, int? pageSize, VideoMapper mapper, CancellationToken ct)
    {
        var (p, size) = Paging.Clamp(page, pageSize, 20, MaxPageSize);
        var total = await videos.CountAsync(ct);
        var items = await videos.Include(v => v.Owner).Skip((p - 1) * size).Take(size).AsNoTracking().ToListAsync(ct);
        return new PagedList<VideoDto>(items.Select(mapper.ToDto).ToList(), total, p, size);
    }
}

using Microsoft.EntityFrameworkCore;
using StreamForge.Core.Data;

namespace StreamForge.Core.Videos;

/// <summary>
/// The single-video view as GET /api/v1/videos/{id} shows it; in Core because webhook payloads (built by the API and
/// by the worker, inside the transition's transaction) carry the same view.
/// </summary>
public sealed class VideoViews(StreamForgeDbContext db, VideoMapper mapper)
{
    /// <summary>The video among <paramref name="visible"/> with captions and download endpoints; null when it is not there.</summary>
    public async Task<VideoDto?> DetailAsync(IQueryable<Video> visible, Guid id, CancellationToken ct)
    {
        var video = await visible.AsNoTracking().Include(v => v.Owner).SingleOrDefaultAsync(v => v.Id == id, ct);
        if (video is null) return null;
        var captions = await db.Captions.AsNoTracking().Where(c => c.VideoId == id).OrderBy(c => c.Lang).ToListAsync(ct);
        var completed = await db.UploadSessions.AnyAsync(s => s.VideoId == id && s.State == UploadState.Completed, ct);
        return mapper.ToDetailDto(video, captions, completed);
    }
}

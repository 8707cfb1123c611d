using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using StreamForge.Core.Data;
using StreamForge.Core.Videos;

namespace StreamForge.Api.Videos;

/// <summary>
/// The owner's (and admin's) actions that move a video through its lifecycle: the caller must see the video (else
/// NotFound), then the lifecycle decides. Answers are domain results; <see cref="VideosApi"/> makes them HTTP.
/// </summary>
public sealed class VideoService(StreamForgeDbContext db, VideoRemoval removal, VideoRequeue requeue, VideoLifecycle lifecycle, VideoMapper mapper)
{
    private static readonly TransitionOutcome Missing = new(TransitionResult.NotFound);

    public async Task<VideoActionResult> DeleteAsync(Guid id, ClaimsPrincipal principal, CancellationToken ct)
    {
        var video = await db.Videos.AsNoTracking().Include(v => v.Upload).VisibleTo(principal).SingleOrDefaultAsync(v => v.Id == id, ct);
        return new(video is null ? Missing : await removal.RemoveAsync(video, video.Upload, ct));
    }

    public async Task<VideoActionResult> RetryAsync(Guid id, ClaimsPrincipal principal, CancellationToken ct)
    {
        var video = await db.Videos.AsNoTracking().VisibleTo(principal).SingleOrDefaultAsync(v => v.Id == id, ct);
        if (video is null) return new(Missing);
        // Admins retrying their own videos are not capped either.
        return await WithVideoAsync(id, await requeue.RequeueAsync(video, principal.IsInRole(Roles.Admin) ? RequeueBy.Admin : RequeueBy.Owner, ct), ct);
    }

    public async Task<VideoActionResult> CancelAsync(Guid id, ClaimsPrincipal principal, CancellationToken ct)
    {
        if (!await db.Videos.VisibleTo(principal).AnyAsync(v => v.Id == id, ct)) return new(Missing);
        return await WithVideoAsync(id, await lifecycle.CancelAsync(id, "Cancelled by the owner.", ct), ct);
    }

    private async Task<VideoActionResult> WithVideoAsync(Guid id, TransitionOutcome outcome, CancellationToken ct)
    {
        if (outcome.Result != TransitionResult.Done) return new(outcome);
        var video = await db.Videos.AsNoTracking().Include(v => v.Owner).SingleOrDefaultAsync(v => v.Id == id, ct);
        return video is null ? new(Missing) : new(outcome, mapper.ToDto(video));
    }
}

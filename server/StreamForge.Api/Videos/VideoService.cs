using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using StreamForge.Api.Infrastructure;
using StreamForge.Core.Data;
using StreamForge.Core.Processing;
using StreamForge.Core.Videos;

namespace StreamForge.Api.Videos;

/// <summary>
/// The owner's (and admin's) reads, edits and lifecycle actions on a video: the caller must see the video (else
/// NotFound), then the lifecycle decides. Answers are domain results; <see cref="VideosApi"/> makes them HTTP.
/// </summary>
public sealed class VideoService(
    StreamForgeDbContext db, VideoRemoval removal, VideoRequeue requeue, VideoLifecycle lifecycle, VideoMapper mapper, VideoViews views, IProcessingQueue queue, TimeProvider clock)
{
    private static readonly TransitionOutcome Missing = new(TransitionResult.NotFound);

    public async Task<Outcome<PagedList<VideoDto>>> ListAsync(ClaimsPrincipal principal, int? page, int? pageSize, string? sort, CancellationToken ct)
    {
        if (sort is not null && !VideoQueries.Sorts.Contains(sort))
            return Refusal.BadRequest($"sort must be one of {string.Join(", ", VideoQueries.Sorts)}.");
        if (Paging.Check(page) is { } badPage) return badPage;
        // The library shows the caller's own videos, admins included; the admin view lists everyone's.
        var own = db.Videos.Where(v => v.OwnerId == principal.UserId());
        return await own.Sorted(sort).PageAsync(page, pageSize, mapper, ct);
    }

    public Task<VideoDto?> GetAsync(Guid id, ClaimsPrincipal principal, CancellationToken ct) =>
        views.DetailAsync(db.Videos.VisibleTo(principal), id, ct);

    /// <summary>
    /// Renames and/or changes the visibility. A visibility the media's location does not match (private ⇔ private/)
    /// schedules the move; while the video processes, the move waits for the ready transition, which schedules it again.
    /// </summary>
    public async Task<Outcome<VideoDto>> UpdateAsync(Guid id, UpdateVideoRequest body, ClaimsPrincipal principal, CancellationToken ct)
    {
        var video = await db.Videos.Include(v => v.Owner).VisibleTo(principal).SingleOrDefaultAsync(v => v.Id == id, ct);
        if (video is null) return Refusal.NotFound;
        var errors = new Dictionary<string, string[]>();
        if (body.Title is null && body.Visibility is null) errors["title"] = ["Give a title, a visibility, or both."];
        if (body.Title is not null && InputRules.CheckTitle(body.Title) is { } problem) errors["title"] = [problem];
        if (InputRules.CheckVisibility(body.Visibility) is { } visibilityProblem) errors["visibility"] = [visibilityProblem];
        if (errors.Count > 0) return Refusal.Invalid(errors);
        if (body.Title is not null) video.Title = body.Title.Trim();
        if (InputRules.ParseVisibility(body.Visibility) is { } visibility)
        {
            video.Visibility = visibility;
            // Nothing published and no worker writing yet: the first processing simply writes at the new location.
            // (Should the upload complete meanwhile, the ready transition sees the mismatch and schedules the move.)
            if (video.MediaVersion == 0 && video.Status is VideoStatus.PendingUpload or VideoStatus.Uploading)
                video.MediaPrivate = visibility == VideoVisibility.Private;
        }
        video.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        if ((video.Visibility == VideoVisibility.Private) != video.MediaPrivate && video.MediaVersion >= 1)
            await queue.EnqueueMediaMoveAsync(video.Id, ct: ct);
        return mapper.ToDto(video);
    }

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

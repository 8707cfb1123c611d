using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StreamForge.Core.Quota;
using StreamForge.Core.Data;
using StreamForge.Core.Events;
using StreamForge.Core.Processing;
using StreamForge.Core.Webhooks;

namespace StreamForge.Core.Videos;

/// <summary>
/// The one place that changes a video's status. Each transition is one conditional UPDATE/DELETE naming the statuses
/// it leaves (<see cref="VideoTransitions"/>), so of two racing callers exactly one matches a row; the quota moves in
/// the same transaction, hence exactly once. The video row is always locked first and the upload session second, so
/// racing transitions wait for each other instead of deadlocking. Events go out after commit; queue changes too
/// (Cancel and Delete commit before the job is removed, so a worker that looks again sees the new state).
/// Webhook deliveries are written in the transition's own transaction (<see cref="WebhookOutbox"/>), so a process that
/// dies right after the commit loses none; transitions that are a single statement run in one for that.
/// </summary>
public sealed class VideoLifecycle(
    StreamForgeDbContext db, QuotaLedger quota, IVideoEventPublisher events, IProcessingQueue queue, WebhookOutbox webhooks,
    IOptions<VideoLifecycleOptions> options, TimeProvider clock, ILogger<VideoLifecycle> log)
{
    public const string ExpiredReason = "The upload was idle too long and expired; upload the file again.";
    private const string GoneDetail = "This upload expired or was aborted; start a new one.";

    private readonly List<VideoEvent> _deferred = [];

    /// <summary>Creates the video (pending_upload) with its session and reserves the declared size, or refuses over quota.</summary>
    public async Task<TransitionOutcome> BeginUploadAsync(Video video, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await quota.TryChargeAsync(video.OwnerId, video.SizeBytes, ct)) return new(TransitionResult.QuotaExceeded);
        video.Status = VideoTransitions.To(VideoTransition.BeginUpload)!.Value;
        db.Videos.Add(video);
        await db.SaveChangesAsync(ct);
        await webhooks.RecordAsync(video.Id, WebhookEvents.VideoCreated, ct);
        await tx.CommitAsync(ct);
        await PublishAsync(new VideoEvent(video.Id, video.OwnerId, video.Status.ToWire(), 0));
        return TransitionOutcome.Done;
    }

    /// <summary>
    /// Creates an import (uploading, with its import session; nothing reserved: the worker charges the bytes as they
    /// arrive), or refuses with Conflict when the owner already has <paramref name="maxConcurrent"/> imports in progress.
    /// The owner's row is locked first, so two requests at once cannot both take the last place.
    /// </summary>
    public async Task<TransitionOutcome> BeginImportAsync(Video video, int maxConcurrent, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.SqlQuery<Guid>($"SELECT id AS \"Value\" FROM users WHERE id = {video.OwnerId} FOR UPDATE").ToListAsync(ct);
        var running = await db.UploadSessions.CountAsync(s => s.Mode == UploadMode.Import && s.State == UploadState.Active && s.Video!.OwnerId == video.OwnerId, ct);
        if (running >= maxConcurrent)
            return new(TransitionResult.Conflict, $"You already have {running} imports in progress, the most allowed at once; wait for one to finish.");
        video.Status = VideoTransitions.To(VideoTransition.BeginImport)!.Value;
        db.Videos.Add(video);
        await db.SaveChangesAsync(ct);
        await webhooks.RecordAsync(video.Id, WebhookEvents.VideoCreated, ct);
        await tx.CommitAsync(ct);
        await PublishAsync(new VideoEvent(video.Id, video.OwnerId, video.Status.ToWire(), 0));
        return TransitionOutcome.Done;
    }

    /// <summary>pending_upload → uploading, when the first URL is signed. Losing means someone else already moved it: nothing to do.</summary>
    public async Task<bool> MarkUploadingAsync(Guid videoId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var to = VideoTransitions.To(VideoTransition.MarkUploading)!.Value.ToWire();
        var row = await ReturningAsync($"""
            UPDATE videos SET status = {to}, updated_at = {now}
            WHERE id = {videoId} AND status = ANY({VideoTransitions.FromWire(VideoTransition.MarkUploading)})
            RETURNING owner_id AS "OwnerId", size_bytes AS "SizeBytes", progress AS "Progress"
            """, ct);
        if (row is null) return false;
        await PublishAsync(new VideoEvent(videoId, row.OwnerId, to, 0));
        return true;
    }

    /// <summary>
    /// The upload's object was measured: the video goes to processing, the session to completed, the charge from the
    /// declared to the measured size, and the job is scheduled after commit. A second complete gets AlreadyDone.
    /// </summary>
    public async Task<TransitionOutcome> CompleteUploadAsync(Guid videoId, long measuredSize, string? etag, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var to = VideoTransitions.To(VideoTransition.CompleteUpload)!.Value.ToWire();
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var row = await ReturningAsync($"""
                UPDATE videos SET status = {to}, size_bytes = {measuredSize}, source_etag = {etag}, progress = 0, last_error = NULL,
                                  enqueued_at = {now}, updated_at = {now}
                WHERE id = {videoId} AND status = ANY({VideoTransitions.FromWire(VideoTransition.CompleteUpload)})
                RETURNING owner_id AS "OwnerId", size_bytes AS "SizeBytes", progress AS "Progress"
                """, ct);
            if (row is null) return await UploadLoserAsync(videoId, VideoTransition.CompleteUpload, ct);
            var declared = await EndSessionAsync(videoId, UploadState.Completed, requireExpired: false, now, ct);
            if (declared is null)
            {
                await tx.RollbackAsync(ct);
                return new(TransitionResult.Gone, GoneDetail);
            }
            if (measuredSize != declared && !await quota.TryChargeAsync(row.OwnerId, measuredSize - declared.Value, ct))
            {
                await tx.RollbackAsync(ct);
                return new(TransitionResult.QuotaExceeded, $"The stored file is {measuredSize:N0} bytes, more than your quota allows.");
            }
            await tx.CommitAsync(ct);
            await PublishAsync(new VideoEvent(videoId, row.OwnerId, to, 0));
        }
        await EnqueueAsync(videoId);
        return TransitionOutcome.Done;
    }

    /// <summary>Completion found an object that is not the declared one: the video fails with <paramref name="reason"/> and the reservation is released.</summary>
    public Task<TransitionOutcome> RejectUploadAsync(Guid videoId, string reason, CancellationToken ct) =>
        EndUploadAsync(videoId, VideoTransition.RejectUpload, UploadState.Aborted, reason, requireExpired: false, ct);

    /// <summary>The sweep ends an upload idle past its expiry; loses (NotFound/Conflict/Gone) when it was completed, aborted or slid meanwhile.</summary>
    public Task<TransitionOutcome> ExpireUploadAsync(Guid videoId, CancellationToken ct) =>
        EndUploadAsync(videoId, VideoTransition.ExpireUpload, UploadState.Expired, ExpiredReason, requireExpired: true, ct);

    /// <summary>The owner abandons an upload: the video row goes (its session and parts with it) and the reservation is released.</summary>
    public async Task<TransitionOutcome> AbortUploadAsync(Guid videoId, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Recorded before the row goes (the payload is the video as it was); rolled back with it when the delete loses.
        await webhooks.RecordAsync(videoId, WebhookEvents.VideoDeleted, ct);
        var row = await ReturningAsync($"""
            DELETE FROM videos WHERE id = {videoId} AND status = ANY({VideoTransitions.FromWire(VideoTransition.AbortUpload)})
            RETURNING owner_id AS "OwnerId", size_bytes AS "SizeBytes", progress AS "Progress"
            """, ct);
        if (row is null) return await UploadLoserAsync(videoId, VideoTransition.AbortUpload, ct);
        await quota.ReleaseAsync(row.OwnerId, row.SizeBytes, ct);
        await tx.CommitAsync(ct);
        await PublishAsync(new VideoEvent(videoId, row.OwnerId, VideoTransitions.Deleted, 0));
        return TransitionOutcome.Done;
    }

    /// <summary>
    /// A processing video can be watched from the growing <paramref name="facts"/> version; the status stays processing.
    /// Refused (false) when the video left processing, or when it already serves a complete version (a ready video being
    /// reprocessed keeps it until the new one is complete), or when the version is older than the stored one (a late
    /// call from an attempt that was already given up). Repeated calls refresh the facts; only the call that made the
    /// video playable announces it, with the SSE type "playable". Storing the version makes a retry publish under the next one.
    /// </summary>
    public Task<bool> MarkPlayableAsync(Guid videoId, Guid ownerId, PlayableFacts facts, CancellationToken ct) =>
        AtomicallyAsync(() => MarkPlayableInTransactionAsync(videoId, ownerId, facts, ct), ct);

    private async Task<bool> MarkPlayableInTransactionAsync(Guid videoId, Guid ownerId, PlayableFacts facts, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // The old playable_at is read under the row lock in the same statement, so of two racing calls only one is first.
        var rows = await db.Database.SqlQuery<PlayableRow>($"""
            WITH old AS (SELECT id, playable_at FROM videos WHERE id = {videoId} FOR UPDATE)
            UPDATE videos v SET manifest_url = {facts.ManifestUrl}, media_version = {facts.Version}, media_growing = true,
                playable_at = coalesce(v.playable_at, {now}), duration_seconds = {facts.DurationSeconds},
                width = {facts.Width}, height = {facts.Height}, updated_at = {now}
            FROM old
            WHERE v.id = old.id AND v.status = ANY({VideoTransitions.FromWire(VideoTransition.MarkPlayable)})
              AND (v.manifest_url IS NULL OR v.media_growing) AND {facts.Version} >= v.media_version
            RETURNING v.progress AS "Progress", old.playable_at IS NULL AS "First", v.playable_at AS "PlayableAt"
            """).ToListAsync(ct);
        if (rows.Count == 0) return false;
        var row = rows[0];
        if (!row.First) return true;
        await webhooks.RecordAsync(videoId, WebhookEvents.VideoPlayable, ct);
        await PublishAsync(new VideoEvent(videoId, ownerId, VideoTransitions.To(VideoTransition.MarkPlayable)!.Value.ToWire(),
                row.Progress, ManifestUrl: facts.ManifestUrl, PlayableAt: row.PlayableAt));
        return true;
    }

    /// <summary>
    /// processing → ready with the published version's facts. Runs in the caller's transaction when there is one (the
    /// worker closes its run in the same commit); the event then waits for <see cref="PublishDeferredAsync"/>.
    /// </summary>
    public Task<bool> MarkReadyAsync(Guid videoId, Guid ownerId, ReadyFacts facts, CancellationToken ct) =>
        AtomicallyAsync(() => MarkReadyInTransactionAsync(videoId, ownerId, facts, ct), ct);

    private async Task<bool> MarkReadyInTransactionAsync(Guid videoId, Guid ownerId, ReadyFacts facts, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var to = VideoTransitions.To(VideoTransition.MarkReady)!.Value;
        var from = VideoTransitions.From(VideoTransition.MarkReady);
        var probeJson = MediaFactsJson.Write(facts.Probe);
        var renditionsJson = MediaFactsJson.Write(facts.Renditions);
        var updated = await db.Videos.Where(v => v.Id == videoId && from.Contains(v.Status)).ExecuteUpdateAsync(s => s
            .SetProperty(v => v.Status, to)
            .SetProperty(v => v.Progress, 100)
            .SetProperty(v => v.DurationSeconds, facts.DurationSeconds)
            .SetProperty(v => v.Width, facts.Width)
            .SetProperty(v => v.Height, facts.Height)
            .SetProperty(v => v.MediaVersion, facts.Version)
            .SetProperty(v => v.ManifestUrl, facts.ManifestUrl)
            .SetProperty(v => v.MediaGrowing, false)
            .SetProperty(v => v.PosterUrl, facts.PosterUrl)
            // A poster choice (and its failure) belonged to the version it was made on; the new one starts with its own.
            .SetProperty(v => v.PosterStatus, (string?)null)
            .SetProperty(v => v.PosterError, (string?)null)
            .SetProperty(v => v.ThumbnailsVttUrl, facts.ThumbnailsVttUrl)
            .SetProperty(v => v.ProbeJson, probeJson)
            .SetProperty(v => v.RenditionsJson, renditionsJson)
            .SetProperty(v => v.LastError, (string?)null)
            .SetProperty(v => v.ReadyAt, now)
            .SetProperty(v => v.UpdatedAt, now), ct);
        if (updated == 0) return false;
        await webhooks.RecordAsync(videoId, WebhookEvents.VideoReady, ct);
        await PublishAsync(new VideoEvent(videoId, ownerId, to.ToWire(), 100));
        return true;
    }

    /// <summary>processing → failed (worker: permanent failure or retries used up). False when the video left processing meanwhile.</summary>
    public async Task<bool> FailAsync(Guid videoId, string error, CancellationToken ct) =>
        (await StopProcessingAsync(videoId, VideoTransition.Fail, error, ct)).Result == TransitionResult.Done;

    /// <summary>
    /// A failed attempt that will be retried: the video stays processing with the error shown, and stops pointing at
    /// the attempt's growing media (the worker removes it; the retry publishes under a new version). False when it left processing.
    /// </summary>
    public async Task<bool> RecordRetryAsync(Guid videoId, string error, CancellationToken ct)
    {
        var rows = await db.Database.SqlQuery<RetryRow>($"""
            WITH old AS (SELECT id, media_growing FROM videos WHERE id = {videoId} FOR UPDATE)
            UPDATE videos v SET last_error = {error}, updated_at = {clock.GetUtcNow()},
                manifest_url = CASE WHEN v.media_growing THEN NULL ELSE v.manifest_url END,
                playable_at = CASE WHEN v.media_growing THEN NULL ELSE v.playable_at END,
                media_growing = false
            FROM old
            WHERE v.id = old.id AND v.status = {VideoStatus.Processing.ToWire()}
            RETURNING v.owner_id AS "OwnerId", v.progress AS "Progress", old.media_growing AS "WasGrowing"
            """).ToListAsync(ct);
        var row = rows.FirstOrDefault();
        if (row is null) return false;
        // Browsers watching the growing media learn it is gone; the status alone did not change.
        if (row.WasGrowing) await PublishAsync(new VideoEvent(videoId, row.OwnerId, VideoStatus.Processing.ToWire(), row.Progress, error));
        return true;
    }

    /// <summary>processing → failed by the owner or an admin; the state commits first, then the job is removed from the queue.</summary>
    public async Task<TransitionOutcome> CancelAsync(Guid videoId, string reason, CancellationToken ct)
    {
        var outcome = await StopProcessingAsync(videoId, VideoTransition.Cancel, reason, ct);
        if (outcome.Result == TransitionResult.Done) await queue.RemoveAsync(videoId, CancellationToken.None);
        return outcome;
    }

    /// <summary>
    /// failed (or ready, for admins) → processing, attempts reset, and the job scheduled after commit. Only a completed
    /// upload can be processed again (what was measured and charged); owners get <see cref="VideoLifecycleOptions.OwnerRetriesPerDay"/> per video per 24 h.
    /// </summary>
    public async Task<TransitionOutcome> RequeueAsync(Guid videoId, RequeueBy by, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var windowStart = now.AddDays(-1);
        var owner = by == RequeueBy.Owner;
        var cap = options.Value.OwnerRetriesPerDay;
        // Owners retry what failed; a ready video is reprocessed only by an admin.
        VideoStatus[] from = owner ? [VideoStatus.Failed] : VideoTransitions.From(VideoTransition.Requeue);
        var fromWire = from.Select(s => s.ToWire()).ToArray();
        var to = VideoTransitions.To(VideoTransition.Requeue)!.Value.ToWire();
        var row = await ReturningAsync($"""
            UPDATE videos SET status = {to}, progress = 0, last_error = NULL, processing_attempts = 0, enqueued_at = {now}, updated_at = {now},
                owner_retries = CASE WHEN NOT {owner} THEN owner_retries WHEN owner_retries_since > {windowStart} THEN owner_retries + 1 ELSE 1 END,
                owner_retries_since = CASE WHEN NOT {owner} THEN owner_retries_since WHEN owner_retries_since > {windowStart} THEN owner_retries_since ELSE {now} END
            WHERE id = {videoId} AND status = ANY({fromWire})
              AND EXISTS (SELECT 1 FROM upload_sessions s WHERE s.video_id = videos.id AND s.state = {UploadState.Completed.ToWire()})
              AND (NOT {owner} OR owner_retries_since IS NULL OR owner_retries_since <= {windowStart} OR owner_retries < {cap})
            RETURNING owner_id AS "OwnerId", size_bytes AS "SizeBytes", progress AS "Progress"
            """, ct);
        if (row is null)
        {
            var video = await db.Videos.AsNoTracking().Include(v => v.Upload).SingleOrDefaultAsync(v => v.Id == videoId, ct);
            if (video is null) return new(TransitionResult.NotFound, "The video");
            if (!from.Contains(video.Status))
                return new(TransitionResult.Conflict, owner ? $"Only failed videos can be retried; this one is {video.Status.ToWire()}." : $"A {video.Status.ToWire()} video cannot be requeued.");
            if (video.Upload?.State != UploadState.Completed)
                return new(TransitionResult.Conflict, "The source of this video is gone (the upload never finished); upload it again.");
            var again = (video.OwnerRetriesSince ?? now).AddDays(1);
            return new(TransitionResult.TooManyRetries,
                $"This video was retried {cap} times in the last 24 hours, the most allowed; it can be retried again after {again:yyyy-MM-dd HH:mm} UTC.");
        }
        await PublishAsync(new VideoEvent(videoId, row.OwnerId, to, 0));
        await EnqueueAsync(videoId);
        return TransitionOutcome.Done;
    }

    /// <summary>
    /// Removes the video row (session, parts, captions with it) and releases what it was charged, whatever its status;
    /// then removes the job. Storage is the caller's to clean after this commit.
    /// </summary>
    public async Task<TransitionOutcome> DeleteAsync(Guid videoId, CancellationToken ct)
    {
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await webhooks.RecordAsync(videoId, WebhookEvents.VideoDeleted, ct);
            // The runs of the last 24 hours keep counting against the owner's processing allowance after the video
            // (and its job_runs rows) are gone; the statement's snapshot still sees them.
            var row = await ReturningAsync($"""
                WITH gone AS (
                    DELETE FROM videos WHERE id = {videoId}
                    RETURNING id, owner_id, size_bytes, progress),
                kept AS (
                    INSERT INTO deleted_video_runs (owner_id, started_at, finished_at)
                    SELECT gone.owner_id, r.started_at, coalesce(r.finished_at, now())
                    FROM job_runs r JOIN gone ON r.video_id = gone.id
                    WHERE coalesce(r.finished_at, now()) > now() - interval '24 hours')
                SELECT owner_id AS "OwnerId", size_bytes AS "SizeBytes", progress AS "Progress" FROM gone
                """, ct);
            if (row is null) return new(TransitionResult.NotFound, "The video");
            await quota.ReleaseAsync(row.OwnerId, row.SizeBytes, ct);
            await tx.CommitAsync(ct);
            await PublishAsync(new VideoEvent(videoId, row.OwnerId, VideoTransitions.Deleted, row.Progress));
        }
        await queue.RemoveAsync(videoId, CancellationToken.None);
        return TransitionOutcome.Done;
    }

    /// <summary>Publishes the events of transitions that ran inside the caller's transaction; call after that commit.</summary>
    public async Task PublishDeferredAsync()
    {
        var pending = _deferred.ToArray();
        _deferred.Clear();
        foreach (var e in pending) await SafePublishAsync(e);
    }

    private Task<TransitionOutcome> StopProcessingAsync(Guid videoId, VideoTransition transition, string error, CancellationToken ct) =>
        AtomicallyAsync(() => StopProcessingInTransactionAsync(videoId, transition, error, ct), ct);

    private async Task<TransitionOutcome> StopProcessingInTransactionAsync(Guid videoId, VideoTransition transition, string error, CancellationToken ct)
    {
        var to = VideoTransitions.To(transition)!.Value.ToWire();
        // Growing media is half-public: once processing stops short of ready nothing may point at it (the worker deletes
        // it). A complete version being reprocessed stays referenced.
        var row = await ReturningAsync($"""
            UPDATE videos SET status = {to}, last_error = {error}, updated_at = {clock.GetUtcNow()},
                manifest_url = CASE WHEN media_growing THEN NULL ELSE manifest_url END,
                playable_at = CASE WHEN media_growing THEN NULL ELSE playable_at END,
                media_growing = false
            WHERE id = {videoId} AND status = ANY({VideoTransitions.FromWire(transition)})
            RETURNING owner_id AS "OwnerId", size_bytes AS "SizeBytes", progress AS "Progress"
            """, ct);
        if (row is null)
        {
            var status = await db.Videos.AsNoTracking().Where(v => v.Id == videoId).Select(v => (VideoStatus?)v.Status).SingleOrDefaultAsync(ct);
            return status is null ? new(TransitionResult.NotFound, "The video")
                : new(TransitionResult.Conflict, $"Only videos being processed can be cancelled; this one is {status.Value.ToWire()}.");
        }
        await webhooks.RecordAsync(videoId, WebhookEvents.VideoFailed, ct);
        await PublishAsync(new VideoEvent(videoId, row.OwnerId, to, row.Progress, error, ManifestUrl: null));
        return TransitionOutcome.Done;
    }

    private async Task<TransitionOutcome> EndUploadAsync(Guid videoId, VideoTransition transition, UploadState sessionState, string reason, bool requireExpired, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var to = VideoTransitions.To(transition)!.Value.ToWire();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // size_bytes = 0: the video keeps no charge, which is what QuotaAudit expects of an ended upload.
        var row = await ReturningAsync($"""
            UPDATE videos SET status = {to}, last_error = {reason}, size_bytes = 0, updated_at = {now}
            WHERE id = {videoId} AND status = ANY({VideoTransitions.FromWire(transition)})
            RETURNING owner_id AS "OwnerId", size_bytes AS "SizeBytes", progress AS "Progress"
            """, ct);
        if (row is null) return await UploadLoserAsync(videoId, transition, ct);
        var declared = await EndSessionAsync(videoId, sessionState, requireExpired, now, ct);
        if (declared is null)
        {
            // Expiry: the session was slid by activity after the sweep picked it; the upload lives on.
            await tx.RollbackAsync(ct);
            return new(TransitionResult.Conflict, "The upload is active again.");
        }
        await quota.ReleaseAsync(row.OwnerId, declared.Value, ct);
        await webhooks.RecordAsync(videoId, transition == VideoTransition.ExpireUpload ? WebhookEvents.UploadExpired : WebhookEvents.VideoFailed, ct);
        await tx.CommitAsync(ct);
        await PublishAsync(new VideoEvent(videoId, row.OwnerId, to, 0, reason));
        return TransitionOutcome.Done;
    }

    /// <summary>Moves an active session to its end state and returns its declared size; null when it was not active (or, for expiry, not expired).</summary>
    private async Task<long?> EndSessionAsync(Guid videoId, UploadState endState, bool requireExpired, DateTimeOffset now, CancellationToken ct)
    {
        var state = endState.ToWire();
        var completing = endState == UploadState.Completed;
        var rows = await db.Database.SqlQuery<long>($"""
            UPDATE upload_sessions SET state = {state}, updated_at = {now}
            WHERE video_id = {videoId} AND state = {UploadState.Active.ToWire()}
              AND (CASE WHEN {requireExpired} THEN expires_at <= {now} WHEN {completing} THEN expires_at > {now} ELSE true END)
            RETURNING size AS "Value"
            """).ToListAsync(ct);
        return rows.Count == 1 ? rows[0] : null;
    }

    /// <summary>Why an upload transition found no row to move: gone (404), already completed, aborted/expired (410), or moved on (409).</summary>
    private async Task<TransitionOutcome> UploadLoserAsync(Guid videoId, VideoTransition transition, CancellationToken ct)
    {
        var session = await db.UploadSessions.AsNoTracking().Include(s => s.Video).SingleOrDefaultAsync(s => s.VideoId == videoId, ct);
        if (session?.Video is null) return new(TransitionResult.NotFound, "The upload");
        if (session.State == UploadState.Completed)
            return transition == VideoTransition.CompleteUpload ? new(TransitionResult.AlreadyDone)
                : new(TransitionResult.Conflict, "The upload is complete; delete the video instead.");
        if (session.State != UploadState.Active || session.ExpiresAt <= clock.GetUtcNow()) return new(TransitionResult.Gone, GoneDetail);
        return new(TransitionResult.Conflict, $"The video is {session.Video.Status.ToWire()}.");
    }

    /// <summary>
    /// Runs a one-statement transition in a transaction with its webhook deliveries: the caller's when there is one
    /// (its commit then publishes, through <see cref="PublishDeferredAsync"/>), else its own.
    /// </summary>
    private async Task<T> AtomicallyAsync<T>(Func<Task<T>> transition, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is not null) return await transition();
        T result;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            result = await transition();
            await tx.CommitAsync(ct);
        }
        await PublishDeferredAsync();
        return result;
    }

    private async Task<TransitionRow?> ReturningAsync(FormattableString sql, CancellationToken ct) =>
        (await db.Database.SqlQuery<TransitionRow>(sql).ToListAsync(ct)).FirstOrDefault();

    private async Task EnqueueAsync(Guid videoId)
    {
        try
        {
            await queue.EnqueueAsync(videoId, ct: CancellationToken.None);
        }
        catch (Exception e)
        {
            // Committed but not scheduled: the maintenance sweep requeues processing videos without a job.
            log.LogError(e, "Video {VideoId} is processing but its job could not be scheduled; the maintenance sweep will requeue it", videoId);
        }
    }

    private Task PublishAsync(VideoEvent e)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            _deferred.Add(e);
            return Task.CompletedTask;
        }
        return SafePublishAsync(e);
    }

    private async Task SafePublishAsync(VideoEvent e)
    {
        try
        {
            await events.PublishAsync(e, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The change is committed; a browser that missed the event sees it on its next fetch.
            log.LogWarning(ex, "Could not announce {Status} of video {VideoId}", e.Status, e.VideoId);
        }
        await webhooks.WakeAsync();
    }
}

using Microsoft.EntityFrameworkCore;
using StreamForge.Core.Data;
using StreamForge.Core.Quota;

namespace StreamForge.Core.Imports;

/// <summary>
/// The quota of an import, charged as the bytes arrive: the session's size is what was received and reserved so far,
/// and each part is reserved before it is stored, by the same conditional UPDATE every upload is charged with, so
/// imports and uploads running at once never take more than the quota together. Locks are taken in the lifecycle's
/// order (video, session, user), so these transactions wait for a racing abort or delete instead of deadlocking. The
/// video's size_bytes moves with the session's size, as for an upload (declared = charged), so a delete or abort of an
/// import in progress releases exactly what it holds.
/// </summary>
public sealed class ImportReservations(StreamForgeDbContext db, QuotaLedger quota, TimeProvider clock)
{
    private static readonly string Uploading = VideoStatus.Uploading.ToWire();
    private static readonly string Active = UploadState.Active.ToWire();
    private static readonly string Import = UploadMode.Import.ToWire();

    /// <summary>
    /// Starts an attempt: records its multipart upload and deadline and releases what an earlier attempt (a retry, or a
    /// run on a worker that crashed) had reserved. Returns the earlier attempt's multipart upload id for the caller to
    /// abort, or <c>(false, null)</c> when the import is no longer active.
    /// </summary>
    public async Task<(bool Active, string? PreviousUploadId)> StartAttemptAsync(Guid videoId, string uploadId, DateTimeOffset expiresAt, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var owner = await LockVideoAsync(videoId, ct);
        if (owner is null) return (false, null);
        var previous = await db.Database.SqlQuery<ImportAttemptRow>($"""
            WITH old AS (SELECT id, size, s3_upload_id FROM upload_sessions
                         WHERE video_id = {videoId} AND state = {Active} AND mode = {Import} FOR UPDATE)
            UPDATE upload_sessions s SET size = 0, part_count = 1, s3_upload_id = {uploadId}, expires_at = {expiresAt}, updated_at = {now}
            FROM old WHERE s.id = old.id
            RETURNING old.size AS "Size", old.s3_upload_id AS "UploadId"
            """).ToListAsync(ct);
        if (previous.Count == 0) return (false, null);
        await quota.ReleaseAsync(owner.Value, previous[0].Size, ct);
        await db.Videos.Where(v => v.Id == videoId).ExecuteUpdateAsync(s => s.SetProperty(v => v.Progress, 0).SetProperty(v => v.SizeBytes, 0), ct);
        await tx.CommitAsync(ct);
        return (true, previous[0].UploadId);
    }

    /// <summary>Charges <paramref name="bytes"/> for part <paramref name="partNumber"/> and records the progress, all or nothing.</summary>
    public async Task<ImportReservation> ReservePartAsync(Guid videoId, int partNumber, long bytes, int progress, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var owner = await LockVideoAsync(videoId, ct);
        if (owner is null) return ImportReservation.Gone;
        var counted = await db.Database.ExecuteSqlInterpolatedAsync($"""
            UPDATE upload_sessions SET size = size + {bytes}, part_count = {partNumber}, updated_at = {now}
            WHERE video_id = {videoId} AND state = {Active} AND mode = {Import} AND expires_at > {now}
            """, ct);
        if (counted == 0) return ImportReservation.Gone;
        if (!await quota.TryChargeAsync(owner.Value, bytes, ct))
        {
            await tx.RollbackAsync(ct);
            return ImportReservation.OverQuota;
        }
        // The video's size follows the session's: a delete or abort releases what the video holds.
        await db.Videos.Where(v => v.Id == videoId).ExecuteUpdateAsync(s => s
            .SetProperty(v => v.Progress, progress).SetProperty(v => v.SizeBytes, v => v.SizeBytes + bytes).SetProperty(v => v.UpdatedAt, now), ct);
        await tx.CommitAsync(ct);
        return ImportReservation.Reserved;
    }

    /// <summary>Locks the video row while it is an import in progress and returns its owner; null when it is not (any more).</summary>
    private async Task<Guid?> LockVideoAsync(Guid videoId, CancellationToken ct)
    {
        var rows = await db.Database.SqlQuery<Guid>($"""
            SELECT owner_id AS "Value" FROM videos WHERE id = {videoId} AND status = {Uploading} FOR UPDATE
            """).ToListAsync(ct);
        return rows.Count == 1 ? rows[0] : null;
    }
}

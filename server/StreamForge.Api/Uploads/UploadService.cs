using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Api.Infrastructure;
using StreamForge.Api.Videos;
using StreamForge.Core.Quota;
using StreamForge.Core.Data;
using StreamForge.Core.Processing;
using StreamForge.Core.Storage;
using StreamForge.Core.Uploads;
using StreamForge.Core.Videos;

namespace StreamForge.Api.Uploads;

/// <summary>
/// The upload use cases (create, status, sign, record part, complete, abort) with their transactions and
/// quota rules. Charges are always taken from what storage measured, never from what the client reported.
/// Answers are domain results (<see cref="UploadResult{T}"/>, <see cref="UploadError"/>); <see cref="UploadsApi"/> makes them HTTP.
/// </summary>
public sealed class UploadService(
    StreamForgeDbContext db, IStorageGateway storage, QuotaLedger quota, VideoLifecycle lifecycle, IProcessingQueue queue, VideoMapper mapper, IOptions<UploadOptions> options,
    TimeProvider clock, ILogger<UploadService> log)
{
    private UploadOptions O => options.Value;

    /// <summary>The checks that need no database: a direct upload runs them before it claims its link.</summary>
    public UploadError? Check(CreateUploadRequest body)
    {
        var errors = UploadValidation.Validate(body);
        if (errors.Count > 0) return UploadError.Invalid(errors);
        var size = body.Size!.Value;
        if (size > O.MaxFileBytes) return new UploadError(UploadErrorKind.TooLarge, $"The file is {size:N0} bytes; the limit is {O.MaxFileBytes:N0} bytes.");
        return null;
    }

    /// <param name="videoId">The id to give the video (a direct upload claims its link for it first); null = a new one.</param>
    public async Task<UploadResult<UploadCreated>> CreateAsync(
        CreateUploadRequest body, ClaimsPrincipal principal, bool requireConfirmedEmail, CancellationToken ct, Guid? videoId = null)
    {
        if (Check(body) is { } invalid) return invalid;
        var size = body.Size!.Value;

        var userId = principal.UserId();
        if (requireConfirmedEmail && !await db.Users.AnyAsync(u => u.Id == userId && u.EmailConfirmedAt != null, ct))
            return new UploadError(UploadErrorKind.EmailUnconfirmed,
                "Confirm your email address before uploading: open the link in the confirmation mail, or ask for a new one (POST /api/v1/auth/confirm-email/resend).");
        var plan = PartPlanner.Plan(size, O.MultipartThresholdBytes, O.PartSizeBytes);
        var id = videoId ?? Guid.NewGuid();
        var key = StorageKeys.Source(id);
        var contentType = UploadValidation.NormalizeContentType(body.ContentType);
        var now = clock.GetUtcNow();

        var uploadId = plan.Mode == UploadMode.Multipart ? await storage.StartMultipartAsync(key, contentType, ct) : null;
        var video = new Video
        {
            Id = id, OwnerId = userId, Title = body.Title?.Trim() is { Length: > 0 } t ? t : InputRules.DefaultTitle(body.FileName!),
            FileName = body.FileName!.Trim(), ContentType = contentType, SourceKey = key,
            SizeBytes = size, MaxQuality = body.MaxQuality, Passthrough = body.Passthrough, CreatedAt = now, UpdatedAt = now,
            // A private video's media starts private, so its first processing already writes under private/.
            Visibility = InputRules.ParseVisibility(body.Visibility) ?? VideoVisibility.Unlisted,
            MediaPrivate = InputRules.ParseVisibility(body.Visibility) == VideoVisibility.Private,
            Upload = new UploadSession
            {
                Id = Guid.NewGuid(), Mode = plan.Mode, S3UploadId = uploadId, Key = key, Size = size, PartSize = plan.PartSize,
                PartCount = plan.PartCount, State = UploadState.Active, ExpiresAt = now.Add(O.SessionIdleExpiry), CreatedAt = now, UpdatedAt = now,
                // The single PUT URL is signed in this very answer, so its one part is signed: the browser records
                // it after the PUT like any part, and a resume sees it.
                Parts = plan.Mode == UploadMode.Single ? [new UploadPart { PartNumber = 1, SignedAt = now }] : [],
            },
        };
        TransitionOutcome begun;
        try
        {
            begun = await lifecycle.BeginUploadAsync(video, ct);
        }
        catch
        {
            if (uploadId is not null) await storage.AbortMultipartAsync(key, uploadId, CancellationToken.None);
            throw;
        }
        if (begun.Result == TransitionResult.QuotaExceeded)
        {
            if (uploadId is not null) await storage.AbortMultipartAsync(key, uploadId, CancellationToken.None);
            var (used, limit) = await quota.UsageAsync(userId, ct);
            return new UploadError(UploadErrorKind.QuotaExceeded, $"This upload needs {size:N0} bytes but only {Math.Max(0, (limit ?? 0) - used):N0} of your {limit:N0} bytes are free.");
        }

        if (plan.Mode == UploadMode.Single)
        {
            var (url, expiresAt) = SignSingle(key, size, now, now.Add(O.SessionIdleExpiry));
            return new UploadCreated(id, plan.Mode.ToWire(), plan.PartSize, plan.PartCount, url, expiresAt);
        }
        return new UploadCreated(id, plan.Mode.ToWire(), plan.PartSize, plan.PartCount, null, now.Add(O.PresignedUrlLifetime));
    }

    public async Task<UploadResult<UploadStatus>> StatusAsync(Guid videoId, ClaimsPrincipal principal, CancellationToken ct)
    {
        var session = await db.UploadSessions.AsNoTracking().Include(s => s.Video).Include(s => s.Parts).VisibleTo(principal)
            .SingleOrDefaultAsync(s => s.VideoId == videoId, ct);
        if (session is null) return UploadError.NotFound;
        var state = session.State == UploadState.Active && session.ExpiresAt <= clock.GetUtcNow() ? UploadState.Expired : session.State;
        var recorded = session.Parts.Where(p => p.ETag is not null)
            .ToDictionary(p => p.PartNumber, p => new UploadedPart(p.PartNumber, p.ETag!, p.Size ?? 0));
        if (state == UploadState.Active && session.Mode == UploadMode.Multipart && recorded.Count < session.PartCount)
            foreach (var part in await RecordStoredPartsAsync(session, recorded, ct)) recorded[part.PartNumber] = part;
        var parts = recorded.Values.OrderBy(p => p.PartNumber).ToList();
        return new UploadStatus(videoId, state.ToWire(), session.Mode.ToWire(), session.Video!.FileName, session.Size,
            session.Video.ContentType, session.PartSize, session.PartCount, parts, session.ExpiresAt);
    }

    /// <summary>
    /// Records the parts storage holds that were never recorded: a page that died between a part's PUT and its
    /// record call (a reload, a closed tab) would otherwise send that whole part again on resume. Storage's list is
    /// the truth for its ETags and sizes; a part of the wrong size is left out, so the client sends it again and
    /// replaces it. Storage failing here costs only the saving: the recorded parts still answer.
    /// </summary>
    private async Task<IReadOnlyList<UploadedPart>> RecordStoredPartsAsync(
        UploadSession session, IReadOnlyDictionary<int, UploadedPart> recorded, CancellationToken ct)
    {
        IReadOnlyList<StoredPart>? stored;
        try
        {
            stored = await storage.ListPartsAsync(session.Key, session.S3UploadId!, ct);
        }
        catch (StorageException e)
        {
            log.LogWarning(e, "Could not list the stored parts of upload {VideoId}", session.VideoId);
            return [];
        }
        var plan = new PartPlan(session.Mode, session.PartSize, session.PartCount);
        var found = (stored ?? [])
            .Where(p => p.PartNumber >= 1 && p.PartNumber <= session.PartCount && !recorded.ContainsKey(p.PartNumber)
                && p.Size == plan.SizeOf(p.PartNumber, session.Size) && UploadValidation.CheckETag(p.ETag) is null)
            .Select(p => new UploadedPart(p.PartNumber, UploadValidation.QuoteETag(p.ETag), p.Size))
            .ToList();
        if (found.Count == 0) return [];

        var now = clock.GetUtcNow();
        var numbers = found.Select(p => p.PartNumber).ToArray();
        var etags = found.Select(p => p.Etag).ToArray();
        var sizes = found.Select(p => p.Size).ToArray();
        List<int> written;
        try
        {
            // A record call racing this one wins: only parts still without an ETag take storage's, and only
            // those are answered (a part the client recorded meanwhile is answered by the next status).
            written = await db.Database.SqlQuery<int>($"""
                INSERT INTO upload_parts (session_id, part_number, signed_at, etag, size, completed_at)
                SELECT {session.Id}, t.n, {now}, t.e, t.s, {now} FROM unnest({numbers}, {etags}, {sizes}) AS t(n, e, s)
                ON CONFLICT (session_id, part_number) DO UPDATE
                    SET etag = EXCLUDED.etag, size = EXCLUDED.size, completed_at = EXCLUDED.completed_at
                    WHERE upload_parts.etag IS NULL
                RETURNING part_number AS "Value"
                """).ToListAsync(ct);
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.ForeignKeyViolation)
        {
            return []; // aborted meanwhile: nothing to resume
        }
        if (written.Count > 0)
            log.LogInformation("Upload {VideoId}: recorded {Count} part(s) storage holds but the client never recorded", session.VideoId, written.Count);
        return found.Where(p => written.Contains(p.PartNumber)).ToList();
    }

    public async Task<UploadResult<SignedPart[]>> SignAsync(Guid videoId, SignPartsRequest body, ClaimsPrincipal principal, CancellationToken ct)
    {
        var (s, problem) = await FindActiveSessionAsync(videoId, principal, ct);
        if (problem is not null) return problem;
        var numbers = body.PartNumbers ?? [];
        if (numbers.Length == 0) return UploadError.BadRequest("partNumbers must list at least one part.");
        if (numbers.Length > O.MaxPartsPerSignRequest) return UploadError.BadRequest($"Sign at most {O.MaxPartsPerSignRequest} parts per request.");
        var outOfRange = numbers.Where(n => n < 1 || n > s!.PartCount).ToArray();
        if (outOfRange.Length > 0)
            return UploadError.BadRequest($"Part number {outOfRange[0]} is out of range: this upload has parts 1 to {s!.PartCount}.");
        if (numbers.Distinct().Count() != numbers.Length) return UploadError.BadRequest("partNumbers must not repeat.");

        var now = clock.GetUtcNow();
        var signed = numbers.Select(n =>
        {
            if (s!.Mode == UploadMode.Single)
            {
                var (url, expiresAt) = SignSingle(s.Key, s.Size, now, s.ExpiresAt);
                return new SignedPart(n, url, expiresAt);
            }
            return new SignedPart(n, storage.PresignUploadPart(s.Key, s.S3UploadId!, n, O.PresignedUrlLifetime), now.Add(O.PresignedUrlLifetime));
        }).ToArray();

        try
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO upload_parts (session_id, part_number, signed_at)
                SELECT {s!.Id}, n, {now} FROM unnest({numbers}) AS n
                ON CONFLICT (session_id, part_number) DO UPDATE SET signed_at = EXCLUDED.signed_at
                """, ct);
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.ForeignKeyViolation)
        {
            // An abort removed the session between our read and this insert: the URLs must not be handed out.
            return UploadError.NotFound;
        }
        await SessionExpiry.SlideAsync(db, s, O.SessionIdleExpiry, now, ct);
        if (s.Video!.Status == VideoStatus.PendingUpload) await lifecycle.MarkUploadingAsync(videoId, ct);
        return signed;
    }

    public async Task<UploadError?> RecordPartAsync(
        Guid videoId, int partNumber, RecordPartRequest body, ClaimsPrincipal principal, CancellationToken ct)
    {
        var (s, problem) = await FindActiveSessionAsync(videoId, principal, ct);
        if (problem is not null) return problem;
        if (partNumber < 1 || partNumber > s!.PartCount)
            return UploadError.BadRequest($"Part number {partNumber} is out of range: this upload has parts 1 to {s!.PartCount}.");
        if (UploadValidation.CheckETag(body.Etag) is { } etagProblem) return UploadError.Invalid("etag", etagProblem);
        // The reported size only catches a client bug early; what is charged is measured by storage at completion.
        var expected = new PartPlan(s.Mode, s.PartSize, s.PartCount).SizeOf(partNumber, s.Size);
        if (body.Size != expected)
            return UploadError.Invalid("size", $"Part {partNumber} must be {expected:N0} bytes, not {body.Size?.ToString("N0") ?? "missing"}.");

        var now = clock.GetUtcNow();
        var updated = await db.UploadParts.Where(p => p.SessionId == s.Id && p.PartNumber == partNumber)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.ETag, UploadValidation.QuoteETag(body.Etag!))
                .SetProperty(p => p.Size, expected).SetProperty(p => p.CompletedAt, now), ct);
        // No row: never signed, or the whole upload was aborted meanwhile (the race loser gets 404, not 400).
        if (updated == 0 && !await db.UploadSessions.AnyAsync(x => x.Id == s.Id, ct)) return UploadError.NotFound;
        if (updated == 0) return UploadError.BadRequest($"Part {partNumber} was never signed for this upload; sign it before recording it.");
        await SessionExpiry.SlideAsync(db, s, O.SessionIdleExpiry, now, ct);
        return null;
    }

    public async Task<UploadResult<VideoDto>> CompleteAsync(Guid videoId, ClaimsPrincipal principal, CancellationToken ct)
    {
        var session = await db.UploadSessions.AsNoTracking().VisibleTo(principal).Include(s => s.Video).Include(s => s.Parts)
            .SingleOrDefaultAsync(s => s.VideoId == videoId, ct);
        if (session?.Video is null) return UploadError.NotFound;
        if (session.State == UploadState.Completed) return await AcceptedAsync(videoId, ct);
        if (session.Mode == UploadMode.Import) return ImportInProgress;
        if (session.State != UploadState.Active || session.ExpiresAt <= clock.GetUtcNow())
            return UploadError.Gone;

        if (session.Mode == UploadMode.Multipart && await AssembleAsync(session, ct) is { } refused) return refused;

        // What is measured here is what is charged and what the worker will read (its ETag pins the version).
        var stored = await storage.HeadAsync(session.Key, ct);
        if (stored is null) return UploadError.Conflict("No file has been uploaded to the URL yet.");
        if (stored.Size != session.Size)
        {
            // Not what was declared (a server-side copy, a store that ignores the signed length): never charged,
            // never processed, never served. The video fails with a plain reason; the reservation is released.
            var reason = $"The uploaded file is {stored.Size:N0} bytes, not the {session.Size:N0} bytes declared; it was discarded. Upload the file again.";
            var rejected = await lifecycle.RejectUploadAsync(videoId, reason, ct);
            if (rejected.Result != TransitionResult.Done) return UploadError.From(rejected);
            await DiscardQuietlyAsync(session);
            return new UploadError(UploadErrorKind.SizeMismatch, reason);
        }

        var outcome = await lifecycle.CompleteUploadAsync(videoId, stored.Size, stored.ETag, ct);
        if (outcome.Succeeded) return await AcceptedAsync(videoId, ct);
        // Aborted or deleted while storage assembled: what was assembled belongs to nobody.
        if (outcome.Result == TransitionResult.NotFound) await DiscardQuietlyAsync(session);
        return UploadError.From(outcome);
    }

    /// <summary>Assembles the recorded parts; one caller at a time (the session row is locked), a second one finds the upload gone.</summary>
    private async Task<UploadError?> AssembleAsync(UploadSession session, CancellationToken ct)
    {
        var recorded = session.Parts.Where(p => p.ETag is not null).OrderBy(p => p.PartNumber).ToList();
        if (recorded.Count != session.PartCount)
        {
            var missing = Enumerable.Range(1, session.PartCount).Except(recorded.Select(p => p.PartNumber)).ToList();
            return new UploadError(UploadErrorKind.PartsMissing,
                $"{missing.Count} of {session.PartCount} parts are not recorded yet (first: {string.Join(", ", missing.Take(10))}).",
                MissingParts: missing.Take(100).ToArray());
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var state = await db.Database.SqlQuery<string>($"SELECT state AS \"Value\" FROM upload_sessions WHERE id = {session.Id} FOR UPDATE").ToListAsync(ct);
        if (state.Count == 0) return UploadError.NotFound;
        if (state[0] != UploadState.Active.ToWire()) return null;
        var assembled = await storage.CompleteMultipartAsync(session.Key, session.S3UploadId!, recorded.Select(p => new CompletedPart(p.PartNumber, p.ETag!)).ToList(), ct);
        if (assembled == MultipartCompletion.PartsRejected)
            return UploadError.Conflict("Storage refused to assemble the parts: a recorded ETag does not match the uploaded part. Re-send the parts and record them again.");
        // UploadGone: a previous complete assembled the object but did not commit (crash between the two); carry
        // on when the object is there, the measurement decides.
        if (assembled == MultipartCompletion.UploadGone)
            log.LogInformation("Multipart upload {VideoId} no longer open; checking the object", session.VideoId);
        await tx.CommitAsync(ct);
        return null;
    }

    private async Task<UploadResult<VideoDto>> AcceptedAsync(Guid videoId, CancellationToken ct) =>
        await db.Videos.AsNoTracking().SingleOrDefaultAsync(v => v.Id == videoId, ct) is { } video ? mapper.ToDto(video) : UploadError.NotFound;

    public async Task<UploadError?> AbortAsync(Guid videoId, ClaimsPrincipal principal, CancellationToken ct)
    {
        var session = await db.UploadSessions.AsNoTracking().VisibleTo(principal).SingleOrDefaultAsync(s => s.VideoId == videoId, ct);
        if (session is null) return UploadError.NotFound;
        var outcome = await lifecycle.AbortUploadAsync(videoId, ct);
        if (outcome.Result != TransitionResult.Done) return UploadError.From(outcome);
        // The worker fetching an import stops at once instead of at its next part (a slow source may take minutes to send one).
        if (session.Mode == UploadMode.Import) await queue.RemoveAsync(videoId, CancellationToken.None);
        await DiscardQuietlyAsync(session);
        return null;
    }

    /// <summary>Storage cleanup after the state committed: a failure leaves an orphan object, never a wrong state or charge.</summary>
    private async Task DiscardQuietlyAsync(UploadSession session)
    {
        try
        {
            await UploadCleanup.DiscardStorageAsync(session, storage, CancellationToken.None);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Could not discard the stored upload of {VideoId}", session.VideoId);
        }
    }

    /// <summary>
    /// Short-lived and bound to the declared length: the URL only has to be valid when the PUT starts, and
    /// while valid it could rewrite the object. The expiry is capped by the session's, never slides it.
    /// </summary>
    private (string Url, DateTimeOffset ExpiresAt) SignSingle(string key, long size, DateTimeOffset now, DateTimeOffset sessionExpiresAt)
    {
        var lifetime = TimeSpan.FromTicks(Math.Min(O.SinglePutUrlLifetime.Ticks, (sessionExpiresAt - now).Ticks));
        return (storage.PresignPut(key, lifetime, size), now.Add(lifetime));
    }

    /// <summary>The worker writes an import's parts and completes it; a client cannot take part.</summary>
    private static readonly UploadError ImportInProgress =
        UploadError.Conflict("This video is imported from a URL: the server fetches and completes it; there is nothing to upload.");

    /// <summary>URLs are issued and parts recorded only while the upload is pending: never after it completed, expired or was aborted.</summary>
    private async Task<(UploadSession? Session, UploadError? Problem)> FindActiveSessionAsync(Guid videoId, ClaimsPrincipal principal, CancellationToken ct)
    {
        var session = await db.UploadSessions.AsNoTracking().Include(s => s.Video).VisibleTo(principal).SingleOrDefaultAsync(s => s.VideoId == videoId, ct);
        if (session is null) return (null, UploadError.NotFound);
        if (session.State == UploadState.Completed) return (null, UploadError.Conflict("The upload is already complete."));
        if (session.Mode == UploadMode.Import) return (null, ImportInProgress);
        if (session.State != UploadState.Active || session.ExpiresAt <= clock.GetUtcNow()
            || session.Video!.Status is not (VideoStatus.PendingUpload or VideoStatus.Uploading))
            return (null, UploadError.Gone);
        return (session, null);
    }
}

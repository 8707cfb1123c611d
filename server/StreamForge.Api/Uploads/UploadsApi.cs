using System.Security.Claims;
using Amazon.S3;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Core.Accounts;
using StreamForge.Api.Infrastructure;
using StreamForge.Api.Videos;
using StreamForge.Core.Data;
using StreamForge.Core.Events;
using StreamForge.Core.Processing;
using StreamForge.Core.Storage;
using StreamForge.Core.Uploads;

namespace StreamForge.Api.Uploads;

/// <summary>The resumable upload protocol of design.md §4: the server signs, records and completes; bytes go to storage.</summary>
public static class UploadsApi
{
    /// <summary>How stale the sliding expiry may get before a call moves it (bounds writes to the session row).</summary>
    private static readonly TimeSpan ExpirySlideStep = TimeSpan.FromMinutes(1);

    public static RouteGroupBuilder MapUploadsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/uploads").WithTags("Uploads").RequireAuthorization();
        group.MapPost("/", Create).WithName("CreateUpload").WithSummary("Start an upload: reserves quota, returns single PUT URL or multipart plan");
        group.MapGet("/{videoId:guid}", Status).WithName("GetUpload").WithSummary("Resume state: parts recorded with their ETags");
        group.MapPost("/{videoId:guid}/parts/sign", Sign).WithName("SignParts").WithSummary("Presign part URLs, lazily and in batches");
        group.MapPut("/{videoId:guid}/parts/{partNumber:int}", RecordPart).WithName("RecordPart").WithSummary("Record a sent part's ETag");
        group.MapPost("/{videoId:guid}/complete", Complete).WithName("CompleteUpload").WithSummary("Assemble the object, verify its size, enqueue processing (idempotent)");
        group.MapDelete("/{videoId:guid}", Abort).WithName("AbortUpload").WithSummary("Abort the upload and release its quota");
        return group;
    }

    private static async Task<Results<Created<UploadCreated>, ValidationProblem, ProblemHttpResult>> Create(
        CreateUploadRequest body, ClaimsPrincipal principal, StreamForgeDbContext db, IStorageGateway storage,
        QuotaLedger quota, IOptions<UploadOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var errors = UploadValidation.Validate(body);
        if (errors.Count > 0) return Problems.Validation(errors);
        var o = options.Value;
        var size = body.Size!.Value;
        if (size > o.MaxFileBytes) return Problems.TooLarge($"The file is {size:N0} bytes; the limit is {o.MaxFileBytes:N0} bytes.");

        var plan = PartPlanner.Plan(size, o.MultipartThresholdBytes, o.PartSizeBytes);
        var userId = principal.UserId();
        var videoId = Guid.NewGuid();
        var key = StorageKeys.Source(videoId);
        var contentType = UploadValidation.NormalizeContentType(body.ContentType);
        var now = clock.GetUtcNow();

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await quota.TryChargeAsync(userId, size, ct))
        {
            var (used, limit) = await quota.UsageAsync(userId, ct);
            return Problems.QuotaExceeded($"This upload needs {size:N0} bytes but only {Math.Max(0, (limit ?? 0) - used):N0} of your {limit:N0} bytes are free.");
        }
        var uploadId = plan.Mode == UploadMode.Multipart ? await storage.StartMultipartAsync(key, contentType, ct) : null;
        db.Videos.Add(new Video
        {
            Id = videoId, OwnerId = userId, Title = body.Title?.Trim() is { Length: > 0 } t ? t : InputRules.DefaultTitle(body.FileName!),
            FileName = body.FileName!.Trim(), ContentType = contentType, Status = VideoStatus.PendingUpload, SourceKey = key,
            SizeBytes = size, MaxQuality = body.MaxQuality, CreatedAt = now, UpdatedAt = now,
            Upload = new UploadSession
            {
                Id = Guid.NewGuid(), Mode = plan.Mode, S3UploadId = uploadId, Key = key, Size = size, PartSize = plan.PartSize,
                PartCount = plan.PartCount, State = UploadState.Active, ExpiresAt = now.Add(o.SessionIdleExpiry), CreatedAt = now, UpdatedAt = now,
            },
        });
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch
        {
            if (uploadId is not null) await storage.AbortMultipartAsync(key, uploadId, CancellationToken.None);
            throw;
        }

        var urlExpiry = now.Add(o.PresignedUrlLifetime);
        var url = plan.Mode == UploadMode.Single ? storage.PresignPut(key, o.PresignedUrlLifetime) : null;
        return TypedResults.Created($"/api/v1/uploads/{videoId}", new UploadCreated(videoId, plan.Mode, plan.PartSize, plan.PartCount, url, urlExpiry));
    }

    private static async Task<Results<Ok<UploadStatus>, ProblemHttpResult>> Status(
        Guid videoId, ClaimsPrincipal principal, StreamForgeDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var session = await db.UploadSessions.AsNoTracking().Include(s => s.Video).Include(s => s.Parts)
            .SingleOrDefaultAsync(s => s.VideoId == videoId && (principal.IsAdmin() || s.Video!.OwnerId == principal.UserId()), ct);
        if (session is null) return Problems.NotFound("The upload");
        var state = session.State == UploadState.Active && session.ExpiresAt <= clock.GetUtcNow() ? UploadState.Expired : session.State;
        var parts = session.Parts.Where(p => p.ETag is not null).OrderBy(p => p.PartNumber)
            .Select(p => new UploadedPart(p.PartNumber, p.ETag!, p.Size ?? 0)).ToList();
        return TypedResults.Ok(new UploadStatus(videoId, state, session.Mode, session.Video!.FileName, session.Size,
            session.Video.ContentType, session.PartSize, session.PartCount, parts, session.ExpiresAt));
    }

    private static async Task<Results<Ok<SignedPart[]>, ProblemHttpResult>> Sign(
        Guid videoId, SignPartsRequest body, ClaimsPrincipal principal, StreamForgeDbContext db, IStorageGateway storage,
        IOptions<UploadOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var session = await FindActiveSessionAsync(db, videoId, principal, clock, ct);
        if (session.Problem is not null) return session.Problem;
        var s = session.Session!;
        var o = options.Value;
        var numbers = body.PartNumbers ?? [];
        if (numbers.Length == 0) return Problems.BadRequest("partNumbers must list at least one part.");
        if (numbers.Length > o.MaxPartsPerSignRequest) return Problems.BadRequest($"Sign at most {o.MaxPartsPerSignRequest} parts per request.");
        var outOfRange = numbers.Where(n => n < 1 || n > s.PartCount).ToArray();
        if (outOfRange.Length > 0)
            return Problems.BadRequest($"Part number {outOfRange[0]} is out of range: this upload has parts 1 to {s.PartCount}.");
        if (numbers.Distinct().Count() != numbers.Length) return Problems.BadRequest("partNumbers must not repeat.");

        var now = clock.GetUtcNow();
        var expiresAt = now.Add(o.PresignedUrlLifetime);
        var signed = numbers.Select(n => new SignedPart(n,
            s.Mode == UploadMode.Single
                ? storage.PresignPut(s.Key, o.PresignedUrlLifetime)
                : storage.PresignUploadPart(s.Key, s.S3UploadId!, n, o.PresignedUrlLifetime),
            expiresAt)).ToArray();

        await db.Database.ExecuteSqlInterpolatedAsync($"""
            WITH signed AS (
                INSERT INTO upload_parts (session_id, part_number, signed_at)
                SELECT {s.Id}, n, {now} FROM unnest({numbers}) AS n
                ON CONFLICT (session_id, part_number) DO UPDATE SET signed_at = EXCLUDED.signed_at
                RETURNING 1)
            -- Signing slides the idle expiry, so an upload being worked on never expires; at most once a
            -- minute, because every rewrite of this indexed row is a new row version under load.
            UPDATE upload_sessions SET expires_at = {now.Add(o.SessionIdleExpiry)}, updated_at = {now}
            WHERE id = {s.Id} AND expires_at < {now.Add(o.SessionIdleExpiry - ExpirySlideStep)}
            """, ct);
        if (s.Video!.Status == VideoStatus.PendingUpload)
            await db.Videos.Where(v => v.Id == videoId && v.Status == VideoStatus.PendingUpload)
                .ExecuteUpdateAsync(u => u.SetProperty(v => v.Status, VideoStatus.Uploading).SetProperty(v => v.UpdatedAt, now), ct);
        return TypedResults.Ok(signed);
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> RecordPart(
        Guid videoId, int partNumber, RecordPartRequest body, ClaimsPrincipal principal, StreamForgeDbContext db,
        IOptions<UploadOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var session = await FindActiveSessionAsync(db, videoId, principal, clock, ct);
        if (session.Problem is not null) return session.Problem;
        var s = session.Session!;
        if (partNumber < 1 || partNumber > s.PartCount)
            return Problems.BadRequest($"Part number {partNumber} is out of range: this upload has parts 1 to {s.PartCount}.");
        if (UploadValidation.CheckETag(body.Etag) is { } etagProblem) return Problems.Validation(new() { ["etag"] = [etagProblem] });
        var expected = new PartPlan(s.Mode, s.PartSize, s.PartCount).SizeOf(partNumber, s.Size);
        if (body.Size != expected)
            return Problems.Validation(new() { ["size"] = [$"Part {partNumber} must be {expected:N0} bytes, not {body.Size?.ToString("N0") ?? "missing"}."] });

        var now = clock.GetUtcNow();
        var updated = await db.UploadParts.Where(p => p.SessionId == s.Id && p.PartNumber == partNumber)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.ETag, UploadValidation.QuoteETag(body.Etag!))
                .SetProperty(p => p.Size, expected).SetProperty(p => p.CompletedAt, now), ct);
        if (updated == 0) return Problems.BadRequest($"Part {partNumber} was never signed for this upload; sign it before recording it.");
        var expiry = now.Add(options.Value.SessionIdleExpiry);
        await db.UploadSessions.Where(x => x.Id == s.Id && x.ExpiresAt < expiry - ExpirySlideStep)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.ExpiresAt, expiry).SetProperty(x => x.UpdatedAt, now), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Accepted<VideoDto>, ProblemHttpResult>> Complete(
        Guid videoId, ClaimsPrincipal principal, StreamForgeDbContext db, IStorageGateway storage, QuotaLedger quota,
        IProcessingQueue queue, IVideoEventPublisher events, VideoMapper mapper, IOptions<UploadOptions> options,
        TimeProvider clock, ILoggerFactory logs, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Row lock: two concurrent completes serialize here, and the second sees "completed".
        var session = await db.UploadSessions.FromSqlInterpolated($"SELECT * FROM upload_sessions WHERE video_id = {videoId} FOR UPDATE")
            .Include(s => s.Video).Include(s => s.Parts).SingleOrDefaultAsync(ct);
        if (session?.Video is null || !principal.IsAdmin() && session.Video.OwnerId != principal.UserId()) return Problems.NotFound("The upload");
        var video = session.Video;
        if (session.State == UploadState.Completed) return TypedResults.Accepted($"/api/v1/videos/{videoId}", mapper.ToDto(video));
        if (session.State != UploadState.Active || session.ExpiresAt <= clock.GetUtcNow())
            return Problems.Gone("This upload expired or was aborted; start a new one.");

        if (session.Mode == UploadMode.Multipart)
        {
            var recorded = session.Parts.Where(p => p.ETag is not null).OrderBy(p => p.PartNumber).ToList();
            if (recorded.Count != session.PartCount)
            {
                var missing = Enumerable.Range(1, session.PartCount).Except(recorded.Select(p => p.PartNumber)).ToList();
                return Problems.Create(StatusCodes.Status409Conflict, "parts-missing", "Parts missing",
                    $"{missing.Count} of {session.PartCount} parts are not recorded yet (first: {string.Join(", ", missing.Take(10))}).",
                    new Dictionary<string, object?> { ["missingParts"] = missing.Take(100).ToArray() });
            }
            try
            {
                await storage.CompleteMultipartAsync(session.Key, session.S3UploadId!, recorded.Select(p => new CompletedPart(p.PartNumber, p.ETag!)).ToList(), ct);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.BadRequest)
            {
                return Problems.Conflict($"Storage refused to assemble the parts ({e.ErrorCode}): a recorded ETag does not match the uploaded part. Re-send the parts and record them again.");
            }
            catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // A previous complete assembled the object but did not commit (crash between the two):
                // carry on when the object is there; the size check below decides.
                logs.CreateLogger(typeof(UploadsApi)).LogInformation("Multipart upload {VideoId} no longer open; checking the object", videoId);
            }
        }

        var actual = await storage.GetSizeAsync(session.Key, ct);
        if (actual is null) return Problems.Conflict("No file has been uploaded to the URL yet.");
        if (actual.Value != session.Size && !await AdjustReservationAsync(actual.Value))
        {
            await storage.DeleteAsync(session.Key, CancellationToken.None);
            session.State = UploadState.Aborted;
            video.Status = VideoStatus.Failed;
            video.LastError = $"The stored file is {actual:N0} bytes, over the size limit or quota.";
            await quota.ReleaseAsync(video.OwnerId, video.SizeBytes, ct);
            video.SizeBytes = 0;
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return Problems.QuotaExceeded($"The stored file is {actual:N0} bytes, not the {session.Size:N0} declared, and that exceeds your quota or the size limit; it was discarded.");
        }

        var now = clock.GetUtcNow();
        session.State = UploadState.Completed;
        session.UpdatedAt = now;
        video.SizeBytes = actual.Value;
        video.Status = VideoStatus.Processing;
        video.Progress = 0;
        video.EnqueuedAt = now;
        video.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        await queue.EnqueueAsync(videoId, ct: ct);
        await tx.CommitAsync(ct);
        await events.PublishAsync(new VideoEvent(videoId, video.OwnerId, video.Status, 0), ct);
        return TypedResults.Accepted($"/api/v1/videos/{videoId}", mapper.ToDto(video));

        async Task<bool> AdjustReservationAsync(long actualSize) =>
            actualSize <= options.Value.MaxFileBytes && await quota.TryChargeAsync(video.OwnerId, actualSize - session.Size, ct);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Abort(
        Guid videoId, ClaimsPrincipal principal, StreamForgeDbContext db, IStorageGateway storage, QuotaLedger quota, CancellationToken ct)
    {
        var session = await db.UploadSessions.Include(s => s.Video)
            .SingleOrDefaultAsync(s => s.VideoId == videoId && (principal.IsAdmin() || s.Video!.OwnerId == principal.UserId()), ct);
        if (session?.Video is null) return Problems.NotFound("The upload");
        if (session.State == UploadState.Completed) return Problems.Conflict("The upload is complete; delete the video instead.");
        await UploadCleanup.DiscardStorageAsync(session, storage, ct);
        await quota.ReleaseAsync(session.Video.OwnerId, session.Video.SizeBytes, ct);
        db.Videos.Remove(session.Video);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private sealed record SessionLookup(UploadSession? Session, ProblemHttpResult? Problem);

    private static async Task<SessionLookup> FindActiveSessionAsync(StreamForgeDbContext db, Guid videoId, ClaimsPrincipal principal, TimeProvider clock, CancellationToken ct)
    {
        var session = await db.UploadSessions.AsNoTracking().Include(s => s.Video)
            .SingleOrDefaultAsync(s => s.VideoId == videoId && (principal.IsAdmin() || s.Video!.OwnerId == principal.UserId()), ct);
        if (session is null) return new(null, Problems.NotFound("The upload"));
        if (session.State == UploadState.Completed) return new(null, Problems.Conflict("The upload is already complete."));
        if (session.State != UploadState.Active || session.ExpiresAt <= clock.GetUtcNow())
            return new(null, Problems.Gone("This upload expired or was aborted; start a new one."));
        return new(session, null);
    }
}

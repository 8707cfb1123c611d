using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Core.Data;
using StreamForge.Core.Events;
using StreamForge.Core.Imports;
using StreamForge.Core.Outbound;
using StreamForge.Core.Processing;
using StreamForge.Core.Quota;
using StreamForge.Core.Storage;
using StreamForge.Core.Uploads;
using StreamForge.Core.Videos;
using StreamForge.Worker.Processing;

namespace StreamForge.Worker.Imports;

/// <summary>
/// Fetches an import's URL straight into an S3 multipart upload: one part buffer at a time, every byte counted (the
/// declared Content-Length is never trusted), each part charged to the owner before it is stored. Over the cap, past
/// the time limit or refused, the multipart upload is aborted and the video fails with a sentence its owner can act on;
/// complete, it is handed to processing exactly as a finished upload is (<see cref="VideoLifecycle.CompleteUploadAsync"/>),
/// so the probe and every check on hostile input apply.
/// </summary>
public sealed class UrlImportPipeline(
    StreamForgeDbContext db, IStorageGateway storage, VideoLifecycle lifecycle, ImportReservations reservations, QuotaLedger quota,
    IVideoEventPublisher events, IProcessingQueue queue, IOptions<ImportOptions> options, IOptions<UploadOptions> uploads,
    TimeProvider clock, ILogger<UrlImportPipeline> log)
{
    private ImportOptions O => options.Value;

    public async Task RunAsync(Guid videoId, RunningJob run, CancellationToken shutdown)
    {
        var session = await db.UploadSessions.AsNoTracking().Include(s => s.Video)
            .SingleOrDefaultAsync(s => s.VideoId == videoId && s.Mode == UploadMode.Import, shutdown);
        if (session?.Video is null || session.State != UploadState.Active || session.Video.Status != VideoStatus.Uploading || session.SourceUrl is null)
            return;

        using var deadline = new CancellationTokenSource(O.Timeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(run.Token, deadline.Token);
        // The session outlives the deadline a little, so the maintenance sweep cleans up after a worker that died mid-fetch.
        var expiresAt = clock.GetUtcNow().Add(O.Timeout).Add(O.StallTimeout);
        using var http = OutboundHttp.CreateClient(O.AllowPrivateTargets, O.Timeout);
        var attempt = new Attempt(session.Key);
        for (var n = 1; ; n++)
        {
            try
            {
                await FetchAsync(http, session, attempt, expiresAt, linked.Token);
                return;
            }
            catch (Exception e) when (deadline.IsCancellationRequested && !run.Token.IsCancellationRequested)
            {
                log.LogInformation(e, "Import {VideoId} ran out of time", videoId);
                await FailAsync(videoId, attempt, $"The download took longer than {ImportRules.Duration(O.Timeout)} and was stopped; nothing was imported.");
                return;
            }
            catch (Exception) when (run.Stopped)
            {
                // Deleted or aborted by its owner: whatever was stored belongs to nobody.
                await DiscardAsync(attempt);
                return;
            }
            catch (Exception) when (shutdown.IsCancellationRequested)
            {
                // This worker stops: another one starts the fetch over (the next attempt releases what this one reserved).
                await DiscardAsync(attempt);
                await queue.EnqueueImportAsync(videoId, CancellationToken.None);
                return;
            }
            catch (Exception e)
            {
                var failure = Classify(e, attempt);
                if (failure.Retryable && n < O.Attempts)
                {
                    log.LogInformation("Import {VideoId} attempt {Attempt} failed ({Reason}); retrying", videoId, n, failure.Reason);
                    await DiscardAsync(attempt);
                    try
                    {
                        await Task.Delay(ImportRules.Backoff(n + 1, O.RetryDelay), clock, linked.Token);
                        continue;
                    }
                    catch (OperationCanceledException) when (deadline.IsCancellationRequested && !run.Token.IsCancellationRequested)
                    {
                        await FailAsync(videoId, attempt, $"The download took longer than {ImportRules.Duration(O.Timeout)} and was stopped; nothing was imported.");
                        return;
                    }
                    catch (OperationCanceledException)
                    {
                        if (!run.Stopped) await queue.EnqueueImportAsync(videoId, CancellationToken.None);
                        return;
                    }
                }
                log.LogInformation(e, "Import {VideoId} failed: {Reason}", videoId, failure.Reason);
                await FailAsync(videoId, attempt, failure.Reason);
                return;
            }
        }
    }

    private async Task FetchAsync(HttpClient http, UploadSession session, Attempt attempt, DateTimeOffset expiresAt, CancellationToken ct)
    {
        var videoId = session.VideoId;
        attempt.Reset();
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attempt.Stall = stall;
        stall.CancelAfter(O.StallTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, session.SourceUrl);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token);
        // Armed only while waiting on the source: storing a part may take long without the source being at fault.
        stall.CancelAfter(Timeout.InfiniteTimeSpan);
        var status = (int)response.StatusCode;
        if (status is >= 300 and < 400)
            throw new ImportFailedException($"The server answered {status} (a redirect{(response.Headers.Location is { } to ? " to " + to : "")}); redirects are not followed: import the final URL.");
        if (!response.IsSuccessStatusCode)
            throw new ImportFailedException(ImportRules.StatusFailure(status, response.ReasonPhrase), ImportRules.IsRetryable(status));

        var uploadId = await storage.StartMultipartAsync(session.Key, "application/octet-stream", ct);
        attempt.UploadId = uploadId;
        var (active, previous) = await reservations.StartAttemptAsync(videoId, uploadId, expiresAt, ct);
        if (previous is not null && previous != uploadId) await AbortQuietlyAsync(session.Key, previous);
        if (!active) throw new OperationCanceledException("The import is no longer in progress.");

        var (used, limit) = await quota.UsageAsync(session.Video!.OwnerId, ct);
        var cap = ImportRules.Cap(limit, used, uploads.Value.MaxFileBytes);
        var declared = response.Content.Headers.ContentLength;
        // A declared length may be refused outright; it is never believed the other way.
        if (declared > cap.Bytes) throw new ImportFailedException(cap.TooLargeMessage);

        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[(int)session.PartSize];
        var parts = new List<CompletedPart>();
        while (true)
        {
            var filled = 0;
            while (filled < buffer.Length)
            {
                stall.CancelAfter(O.StallTimeout);
                var read = await body.ReadAsync(buffer.AsMemory(filled), stall.Token);
                stall.CancelAfter(Timeout.InfiniteTimeSpan);
                if (read == 0) break;
                filled += read;
                attempt.Received += read;
                if (attempt.Received > cap.Bytes) throw new ImportFailedException(cap.TooLargeMessage);
            }
            if (filled == 0) break;
            var partNumber = parts.Count + 1;
            var progress = ImportRules.Progress(attempt.Received, declared);
            switch (await reservations.ReservePartAsync(videoId, partNumber, filled, progress, ct))
            {
                case ImportReservation.Gone:
                    throw new OperationCanceledException("The import is no longer in progress.");
                case ImportReservation.OverQuota:
                    // Another upload took the room meanwhile: the cap is what is free now plus what this import holds.
                    var (usedNow, limitNow) = await quota.UsageAsync(session.Video.OwnerId, CancellationToken.None);
                    throw new ImportFailedException(ImportRules.Cap(limitNow, usedNow - attempt.Received + filled, uploads.Value.MaxFileBytes).TooLargeMessage);
            }
            var etag = await storage.UploadPartAsync(session.Key, uploadId, partNumber, buffer.AsMemory(0, filled), ct);
            parts.Add(new CompletedPart(partNumber, etag));
            await PublishAsync(new VideoEvent(videoId, session.Video.OwnerId, VideoStatus.Uploading.ToWire(), progress));
            if (filled < buffer.Length) break;
        }
        if (attempt.Received == 0) throw new ImportFailedException("The server sent an empty body; nothing was imported.");

        var assembled = await storage.CompleteMultipartAsync(session.Key, uploadId, parts, ct);
        if (assembled != MultipartCompletion.Completed) throw new ImportFailedException("Storage could not assemble the downloaded parts.", retryable: true);
        attempt.UploadId = null;
        attempt.Assembled = true;
        var stored = await storage.HeadAsync(session.Key, ct) ?? throw new ImportFailedException("Storage lost the downloaded file.", retryable: true);
        var outcome = await lifecycle.CompleteUploadAsync(videoId, stored.Size, stored.ETag, CancellationToken.None);
        if (!outcome.Succeeded)
        {
            // Deleted or aborted while the last part was stored.
            log.LogInformation("Import {VideoId} finished but the video moved on ({Result})", videoId, outcome.Result);
            await DiscardAsync(attempt);
            return;
        }
        log.LogInformation("Import {VideoId} fetched {Bytes} bytes; processing", videoId, stored.Size);
    }

    /// <summary>What went wrong, as the owner should read it, and whether another attempt may do better.</summary>
    private ImportFailedException Classify(Exception e, Attempt attempt) => e switch
    {
        ImportFailedException failed => failed,
        HttpRequestException { InnerException: OutboundTargetRefusedException refused } => new($"The address was refused: {refused.Reason}"),
        OutboundTargetRefusedException refused => new($"The address was refused: {refused.Reason}"),
        OperationCanceledException when attempt.Stall?.IsCancellationRequested == true =>
            new($"The server sent nothing for {ImportRules.Duration(O.StallTimeout)}; the download was given up.", retryable: true),
        StorageException storageFailure => new($"Storage could not take the file ({storageFailure.Message}).", retryable: true),
        HttpRequestException http when attempt.Received == 0 => new($"The server could not be reached: {OutboundHttp.Describe(http)}", retryable: true),
        HttpRequestException or HttpIOException or IOException or SocketException =>
            new($"The connection broke after {ImportRules.Megabytes(attempt.Received)} MB: {e.Message}", retryable: true),
        _ => new($"The import failed: {e.Message}"),
    };

    private async Task FailAsync(Guid videoId, Attempt attempt, string reason)
    {
        await DiscardAsync(attempt);
        // Releases what the import reserved; loses harmlessly when the owner deleted it meanwhile.
        var outcome = await lifecycle.RejectUploadAsync(videoId, reason, CancellationToken.None);
        if (outcome.Result != TransitionResult.Done) log.LogInformation("Import {VideoId} failed but had moved on ({Result})", videoId, outcome.Result);
    }

    /// <summary>Storage after an attempt that will not complete: its multipart upload aborted and no object left under the key.</summary>
    private async Task DiscardAsync(Attempt attempt)
    {
        if (attempt.UploadId is { } id) await AbortQuietlyAsync(attempt.Key, id);
        attempt.UploadId = null;
        if (attempt.Assembled)
        {
            try { await storage.DeleteAsync(attempt.Key, CancellationToken.None); }
            catch (Exception e) { log.LogWarning(e, "Could not delete {Key}", attempt.Key); }
        }
    }

    private async Task AbortQuietlyAsync(string key, string uploadId)
    {
        try { await storage.AbortMultipartAsync(key, uploadId, CancellationToken.None); }
        catch (Exception e) { log.LogWarning(e, "Could not abort the multipart upload of {Key}", key); }
    }

    private async Task PublishAsync(VideoEvent e)
    {
        try { await events.PublishAsync(e, CancellationToken.None); }
        catch (Exception ex) { log.LogDebug(ex, "Progress of {VideoId} not announced", e.VideoId); }
    }

    /// <summary>One attempt's state, kept where the failure handlers can clean up after it.</summary>
    private sealed class Attempt(string key)
    {
        public string Key { get; } = key;
        public string? UploadId { get; set; }
        public bool Assembled { get; set; }
        public long Received { get; set; }
        public CancellationTokenSource? Stall { get; set; }

        public void Reset()
        {
            UploadId = null;
            Assembled = false;
            Received = 0;
            Stall = null;
        }
    }
}

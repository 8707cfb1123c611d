using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Core.Data;
using StreamForge.Core.Events;
using StreamForge.Core.Playback;
using StreamForge.Core.Processing;
using StreamForge.Core.Storage;
using StreamForge.Core.Videos;
using StreamForge.Media;

namespace StreamForge.Worker.Processing;

/// <summary>
/// One run of a video's processing, in the order of docs/architecture.md (Processing): download → (probe, ladder,
/// thumbnails, manifest in <see cref="MediaProcessor"/>) → upload → ready. Decides retry or failure.
/// </summary>
public sealed class TranscodePipeline(
    IServiceScopeFactory scopes,
    IStorageGateway storage,
    MediaProcessor media,
    OutputPublisher publisher,
    IProcessingQueue queue,
    IVideoEventPublisher events,
    MediaUrls urls,
    IOptions<WorkerOptions> workerOptions,
    IOptions<JobsOptions> jobsOptions,
    TimeProvider clock,
    ILogger<TranscodePipeline> log)
{
    // Share of the progress bar each stage fills.
    private const int DownloadedAt = 5, EncodedAt = 90;

    public async Task RunAsync(Guid videoId, DateTimeOffset enqueuedAt, string worker, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StreamForgeDbContext>();
        var recorder = scope.ServiceProvider.GetRequiredService<JobRunRecorder>();
        var lifecycle = scope.ServiceProvider.GetRequiredService<VideoLifecycle>();

        var video = await db.Videos.SingleOrDefaultAsync(v => v.Id == videoId, ct);
        if (video is null || !VideoTransitions.Allows(VideoTransition.MarkReady, video.Status))
        {
            // Deleted, cancelled, or already finished by a duplicate run: nothing to do.
            log.LogInformation("Skipping job for video {VideoId}: {State}", videoId, video?.Status.ToWire() ?? "deleted");
            return;
        }

        // Attempts are counted when a run starts, so a run whose worker died (kill -9, OOM) has used one. Quartz
        // recovers such a job without passing through HandleFailureAsync: the limit must be enforced here, or a
        // source that kills its worker every time is retried forever.
        if (video.ProcessingAttempts >= MaxAttempts)
        {
            await GiveUpAfterCrashesAsync(lifecycle, recorder, video, worker, enqueuedAt);
            return;
        }

        video.ProcessingAttempts++;
        video.Progress = 0;
        await db.SaveChangesAsync(ct);
        var run = await recorder.StartAsync(videoId, video.ProcessingAttempts, worker, enqueuedAt, ct);
        var metrics = scope.ServiceProvider.GetRequiredService<StreamForge.Core.Observability.StreamForgeMetrics>();
        using var busySlot = metrics.JobStarted();
        // This round publishes the next version; an earlier failed attempt of the same round wrote (and may have
        // left objects) under the same one, which nobody was served yet.
        var version = video.MediaVersion + 1;
        var workDir = Path.Combine(workerOptions.Value.TempDirectory, $"{videoId:N}-{run.Id}");
        var progress = new ProgressPublisher(scopes, events, video, clock);
        try
        {
            Directory.CreateDirectory(workDir);
            if (TempSpace.Shortfall(workerOptions.Value, video.SizeBytes, workDir) is { } shortfall) throw new TempSpaceException(shortfall);
            var source = Path.Combine(workDir, "source");
            await storage.DownloadToFileAsync(video.SourceKey, source, video.SourceETag, ct);
            progress.Report(DownloadedAt);

            // Captions belong to the video, not to a version: the new version carries them too.
            var captions = await db.Captions.AsNoTracking().Where(c => c.VideoId == videoId).OrderBy(c => c.Lang)
                .Select(c => new CaptionFile(c.Lang, c.Label, c.Vtt)).ToListAsync(ct);
            var processed = await media.ProcessAsync(source, workDir, videoId.ToString("D"), video.MaxQuality,
                new Progress<double>(f => progress.Report(DownloadedAt + f * (EncodedAt - DownloadedAt))), ct, captions);
            File.Delete(source);

            await publisher.PublishAsync(videoId, version, processed.OutputFiles,
                new Progress<double>(f => progress.Report(EncodedAt + f * (99 - EncodedAt))), ct);

            // One transaction: whoever sees the video ready also sees its run succeeded (the dashboard, tests).
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                if (!await MarkReadyAsync(lifecycle, video, version, processed, ct))
                {
                    await tx.RollbackAsync(CancellationToken.None);
                    // Deleted or cancelled while we worked: remove what this round wrote (a published version stays).
                    await storage.DeletePrefixAsync(StorageKeys.MediaVersionPrefix(videoId, version), CancellationToken.None);
                    await recorder.CloseAbandonedAsync(run, "The video was deleted or its job cancelled while it was processed.", CancellationToken.None);
                    LogRemovedMeanwhile(videoId);
                    return;
                }
                await recorder.FinishAsync(run, JobOutcome.Succeeded, null, CancellationToken.None);
                await tx.CommitAsync(CancellationToken.None);
            }
            await DeleteOtherVersionsAsync(videoId, version);
            if (workerOptions.Value.DeleteSourceAfterSuccess) await storage.DeleteAsync(video.SourceKey, CancellationToken.None);
            await lifecycle.PublishDeferredAsync();
            metrics.FfmpegExited(0);
            metrics.JobSucceeded(processed.Rungs.Count, processed.Manifest.Duration, (clock.GetUtcNow() - run.StartedAt).TotalSeconds);
            log.LogInformation("Video {VideoId} ready: {Rungs} renditions, {Duration:0.0} s", videoId, processed.Rungs.Count, processed.Manifest.Duration);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutdown past the grace period: give the job back without counting the attempt.
            await db.Videos.Where(v => v.Id == videoId).ExecuteUpdateAsync(s => s.SetProperty(v => v.ProcessingAttempts, v => Math.Max(0, v.ProcessingAttempts - 1)), CancellationToken.None);
            await recorder.FinishAsync(run, JobOutcome.Released, "The worker shut down; the job was released to run again.", CancellationToken.None);
            await queue.EnqueueAsync(videoId, ct: CancellationToken.None);
            throw;
        }
        catch (Exception e)
        {
            await HandleFailureAsync(lifecycle, recorder, run, video, version, e);
            metrics.JobFinished(run.Outcome, run.Error);
        }
        finally
        {
            TryDelete(workDir);
        }
    }

    // Operators (and the deletion test) learn from this line that the run ended and left nothing behind.
    private void LogRemovedMeanwhile(Guid videoId) =>
        log.LogInformation("Video {VideoId} was deleted or cancelled while it was processed; its run ended without publishing", videoId);

    private int MaxAttempts => 1 + jobsOptions.Value.RetryDelays.Length;

    private async Task GiveUpAfterCrashesAsync(VideoLifecycle lifecycle, JobRunRecorder recorder, Video video, string worker, DateTimeOffset enqueuedAt)
    {
        // StartAsync closes the dead runs; they are what the message counts.
        var run = await recorder.StartAsync(video.Id, video.ProcessingAttempts, worker, enqueuedAt, CancellationToken.None);
        var stops = await recorder.CountWorkerStopsAsync(video.Id, video.EnqueuedAt ?? DateTimeOffset.MinValue, CancellationToken.None) - 1;
        var error = $"Processing stopped the worker {Math.Max(1, stops)} times; giving up.";
        log.LogWarning("Video {VideoId} used all {Attempts} attempts, the last ending with its worker: {Error}", video.Id, video.ProcessingAttempts, error);
        await FailAsync(lifecycle, recorder, run, video, video.MediaVersion + 1, error);
    }

    private async Task FailAsync(VideoLifecycle lifecycle, JobRunRecorder recorder, JobRun run, Video video, int version, string error)
    {
        await recorder.FinishAsync(run, JobOutcome.Failed, error, CancellationToken.None);
        if (!await lifecycle.FailAsync(video.Id, error, CancellationToken.None))
        {
            LogRemovedMeanwhile(video.Id);
            return;
        }
        await storage.DeletePrefixAsync(StorageKeys.MediaVersionPrefix(video.Id, version), CancellationToken.None);
    }

    /// <summary>Once a version is current, earlier ones (and pre-versioning objects) are served by nobody.</summary>
    private async Task DeleteOtherVersionsAsync(Guid videoId, int version)
    {
        try
        {
            var current = StorageKeys.MediaVersionPrefix(videoId, version);
            var old = (await storage.ListKeysAsync(StorageKeys.MediaPrefix(videoId), CancellationToken.None)).Where(k => !k.StartsWith(current, StringComparison.Ordinal)).ToList();
            foreach (var key in old) await storage.DeleteAsync(key, CancellationToken.None);
            if (old.Count > 0) log.LogInformation("Removed {Count} objects of earlier media versions of {VideoId}", old.Count, videoId);
        }
        catch (Exception e)
        {
            // The video is ready and plays from the new version; leftovers cost storage only.
            log.LogWarning(e, "Could not remove earlier media versions of {VideoId}", videoId);
        }
    }

    private async Task HandleFailureAsync(VideoLifecycle lifecycle, JobRunRecorder recorder, JobRun run, Video video, int version, Exception e)
    {
        // A replaced source stays replaced: retrying cannot bring back the bytes that were measured and charged.
        var permanent = e is MediaException { IsPermanent: true } or SourceChangedException or TempSpaceException;
        var error = Describe(e);
        var delays = jobsOptions.Value.RetryDelays;
        var retriesUsed = video.ProcessingAttempts - 1;
        var retry = !permanent && retriesUsed < delays.Length;
        log.LogWarning(e, "Processing {VideoId} failed (attempt {Attempt}, {Kind}): {Error}", video.Id, video.ProcessingAttempts, permanent ? "permanent" : "transient", error);

        if (!retry)
        {
            await FailAsync(lifecycle, recorder, run, video, version, error);
            return;
        }
        await recorder.FinishAsync(run, JobOutcome.Retrying, error, CancellationToken.None);
        if (!await lifecycle.RecordRetryAsync(video.Id, error, CancellationToken.None))
        {
            LogRemovedMeanwhile(video.Id);
            return;
        }
        await queue.EnqueueAsync(video.Id, delays[retriesUsed], CancellationToken.None);
    }

    private Task<bool> MarkReadyAsync(VideoLifecycle lifecycle, Video video, int version, ProcessedMedia processed, CancellationToken ct)
    {
        var top = processed.Manifest.Video[^1];
        var probe = processed.Probe;
        var facts = new ProbeFacts(probe.FormatName, probe.DurationSeconds, probe.BitRate, probe.Video.Codec, probe.Video.Profile,
            probe.Video.PixelFormat, probe.Video.DisplayWidth, probe.Video.DisplayHeight, probe.Video.Rotation, Math.Round(probe.Video.FrameRate, 3),
            probe.HasAudio, probe.Audio?.Codec, probe.Audio?.Channels, probe.Audio?.SampleRate);
        var renditions = processed.Manifest.Video.Select(r => new RenditionFacts(r.Id, r.Width, r.Height, r.Bandwidth, r.Codecs)).ToList();
        return lifecycle.MarkReadyAsync(video.Id, video.OwnerId, new ReadyFacts(version, processed.Manifest.Duration, top.Width, top.Height,
            urls.For(video.Id, version, OutputLayout.ManifestJsonKey), urls.For(video.Id, version, OutputLayout.PosterKey),
            urls.For(video.Id, version, OutputLayout.ThumbsVttKey), facts, renditions), ct);
    }

    private const string SourceReplacedMessage = "The source file was replaced after the upload was completed; upload it again.";

    /// <summary>The message an owner and an admin need: what failed, with ffmpeg's own words when it spoke.</summary>
    private string Describe(Exception e) => e switch
    {
        TempSpaceException => e.Message,
        // Space may free up as other jobs finish, so this stays a transient failure; the message says what ran out.
        _ when TempSpace.IsOutOfSpace(e) => $"Not enough temporary disk space on the worker: its temporary folder ({workerOptions.Value.TempDirectory}) ran full while processing.",
        MediaException m when !string.IsNullOrWhiteSpace(m.ToolOutput) && !m.Message.Contains(m.ToolOutput.Trim()) => $"{m.Message}\n--- ffmpeg output ---\n{m.ToolOutput.Trim()}",
        MediaException m => m.Message,
        SourceChangedException => SourceReplacedMessage,
        StorageException storage => storage.Message,
        Npgsql.NpgsqlException db => $"Database error: {db.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    private void TryDelete(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (Exception e) { log.LogWarning(e, "Could not remove work folder {Dir}", dir); }
    }
}

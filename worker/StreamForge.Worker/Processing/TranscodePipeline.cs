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
/// One run of a video's processing, in the order of docs/architecture.md (Processing): admission (the owner's cap and
/// allowance) → download → (probe, limits, ladder, thumbnails, manifest in <see cref="MediaProcessor"/>, with the
/// <see cref="GrowingPublisher"/> uploading segments and growing indexes while ffmpeg runs, and making the video
/// playable) → upload the rest and the final indexes → ready. What a failure means is <see cref="FailurePolicy"/>'s
/// decision; this class applies it.
/// </summary>
public sealed class TranscodePipeline(
    StreamForgeDbContext db,
    VideoLifecycle lifecycle,
    JobRunRecorder recorder,
    RunStart runStart,
    RunningJobs runs,
    StreamForge.Core.Observability.StreamForgeMetrics metrics,
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
    // Share of the progress bar each stage fills. Segments go up while ffmpeg runs, so what is left after it is small.
    private const int DownloadedAt = 5, EncodedAt = 95;

    public async Task RunAsync(Guid videoId, DateTimeOffset enqueuedAt, string worker, CancellationToken ct)
    {
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
            await GiveUpAfterCrashesAsync(video, worker, enqueuedAt);
            return;
        }

        if (await runStart.TryStartAsync(video, worker, enqueuedAt, ct) is not { } run) return;
        using var job = runs.Register(videoId, ct);
        using var busySlot = metrics.JobStarted();
        // This round publishes the next version; an earlier failed attempt of the same round wrote (and may have
        // left objects) under the same one, which nobody was served yet.
        var version = video.MediaVersion + 1;
        var workDir = Path.Combine(workerOptions.Value.TempDirectory, $"{videoId:N}-{run.Id}");
        try
        {
            await ProcessAsync(video, run, version, workDir, job);
        }
        catch (Exception) when (job.Stopped)
        {
            // Cancelled or deleted (the API changed its state, then told the workers): nothing to retry or release.
            await AbandonAsync(video, version, run);
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
            await HandleFailureAsync(run, video, version, e);
            metrics.JobFinished(run.Outcome, run.Error);
        }
        finally
        {
            TryDelete(workDir);
        }
    }

    /// <summary>The steps of one run; any failure propagates to <see cref="RunAsync"/>.</summary>
    private async Task ProcessAsync(Video video, JobRun run, int version, string workDir, RunningJob job)
    {
        var videoId = video.Id;
        var ct = job.Token;
        // The fallback for a missed stop notification: a progress tick that finds the video no longer processing.
        var progress = new ProgressPublisher(scopes, events, video, clock, job.Stop);
        Directory.CreateDirectory(workDir);
        if (TempSpace.Shortfall(workerOptions.Value, video.SizeBytes, workDir) is { } shortfall) throw new TempSpaceException(shortfall);
        var source = Path.Combine(workDir, "source");
        await storage.DownloadToFileAsync(video.SourceKey, source, video.SourceETag, ct);
        progress.Report(DownloadedAt);

        // Captions belong to the video, not to a version: the new version carries them too.
        var captions = await db.Captions.AsNoTracking().Where(c => c.VideoId == videoId).OrderBy(c => c.Lang)
            .Select(c => new CaptionFile(c.Lang, c.Label, c.Vtt)).ToListAsync(ct);
        var growing = new GrowingPublisher(publisher, videoId, version, (manifest, token) => MarkPlayableAsync(video, version, manifest, token), clock, log);
        var processed = await media.ProcessAsync(source, workDir, videoId.ToString("D"), video.MaxQuality,
            new Progress<double>(f => progress.Report(DownloadedAt + f * (EncodedAt - DownloadedAt))), ct, captions,
            (output, encodingDone) => growing.RunAsync(output, encodingDone, ct));
        var encodedAt = clock.GetUtcNow();
        File.Delete(source);

        await publisher.PublishAsync(videoId, version, processed.OutputFiles,
            new Progress<double>(f => progress.Report(EncodedAt + f * (99 - EncodedAt))), ct, growing.Uploaded);

        // One transaction: whoever sees the video ready also sees its run succeeded (the dashboard, tests).
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            if (!await MarkReadyAsync(video, version, processed, ct))
            {
                await tx.RollbackAsync(CancellationToken.None);
                await AbandonAsync(video, version, run);
                return;
            }
            await recorder.FinishAsync(run, JobOutcome.Succeeded, null, CancellationToken.None);
            await tx.CommitAsync(CancellationToken.None);
        }
        await publisher.DeleteOtherVersionsAsync(videoId, version);
        if (workerOptions.Value.DeleteSourceAfterSuccess) await storage.DeleteAsync(video.SourceKey, CancellationToken.None);
        // The ready event waited for the commit above: nobody hears "ready" before the run is recorded as succeeded.
        await lifecycle.PublishDeferredAsync();
        metrics.FfmpegExited(0);
        metrics.JobSucceeded(processed.Rungs.Count, processed.Manifest.Duration, (clock.GetUtcNow() - run.StartedAt).TotalSeconds);
        log.LogInformation("Video {VideoId} ready: {Rungs} renditions, {Duration:0.0} s", videoId, processed.Rungs.Count, processed.Manifest.Duration);
        // What growing publication leaves at the end (the rest of the uploads, the final indexes, ready): the part of
        // complete → ready that is not ffmpeg.
        log.LogInformation("Video {VideoId}: {Seconds:0.00} s from the end of encoding to ready, {Skipped} files already up", videoId,
            (clock.GetUtcNow() - encodedAt).TotalSeconds, growing.Uploaded.Count);
    }

    /// <summary>Deleted or cancelled while we worked: remove what this round wrote (a published version stays), close the run.</summary>
    private async Task AbandonAsync(Video video, int version, JobRun run)
    {
        await DeleteUnservedAsync(video, version);
        await recorder.CloseAbandonedAsync(run, "The video was deleted or its job cancelled while it was processed.", CancellationToken.None);
        LogRemovedMeanwhile(video.Id);
    }

    /// <summary>
    /// Removes every media version nobody is served: this round's, a growing one an earlier attempt made playable
    /// (its worker died, or it was retried: the lifecycle dropped its URL), leftovers of failed attempts. Only the
    /// complete version a ready video being reprocessed still serves stays. Best effort: storage being down is often
    /// why the run failed, and the run's outcome and the video's state are already recorded; what stays behind is
    /// referenced by no manifest the API hands out, and the next successful run removes it.
    /// </summary>
    private async Task DeleteUnservedAsync(Video video, int version)
    {
        try
        {
            // As loaded when this run started: a complete version served before processing began.
            if (video.ManifestUrl is not null && !video.MediaGrowing && video.MediaVersion >= 1 && video.MediaVersion != version)
                await publisher.DeleteOtherVersionsAsync(video.Id, video.MediaVersion);
            else
                await storage.DeletePrefixAsync(StorageKeys.MediaPrefix(video.Id), CancellationToken.None);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Could not remove the unserved media of {VideoId} (v{Version})", video.Id, version);
        }
    }

    // Operators (and the deletion test) learn from this line that the run ended and left nothing behind.
    private void LogRemovedMeanwhile(Guid videoId) =>
        log.LogInformation("Video {VideoId} was deleted or cancelled while it was processed; its run ended without publishing", videoId);

    private int MaxAttempts => 1 + jobsOptions.Value.RetryDelays.Length;

    private async Task GiveUpAfterCrashesAsync(Video video, string worker, DateTimeOffset enqueuedAt)
    {
        // StartAsync closes the dead runs; they are what the message counts.
        var run = await recorder.StartAsync(video.Id, video.ProcessingAttempts, worker, enqueuedAt, CancellationToken.None);
        var stops = await recorder.CountWorkerStopsAsync(video.Id, video.EnqueuedAt ?? DateTimeOffset.MinValue, CancellationToken.None) - 1;
        var error = $"Processing stopped the worker {Math.Max(1, stops)} times; giving up.";
        log.LogWarning("Video {VideoId} used all {Attempts} attempts, the last ending with its worker: {Error}", video.Id, video.ProcessingAttempts, error);
        await FailAsync(run, video, video.MediaVersion + 1, error);
    }

    private async Task FailAsync(JobRun run, Video video, int version, string error)
    {
        await recorder.FinishAsync(run, JobOutcome.Failed, error, CancellationToken.None);
        if (!await lifecycle.FailAsync(video.Id, error, CancellationToken.None))
        {
            LogRemovedMeanwhile(video.Id);
            return;
        }
        await DeleteUnservedAsync(video, version);
    }

    private async Task HandleFailureAsync(JobRun run, Video video, int version, Exception e)
    {
        var decision = FailurePolicy.Decide(e, video.ProcessingAttempts, jobsOptions.Value.RetryDelays);
        log.LogWarning(e, "Processing {VideoId} failed (attempt {Attempt}, {Kind}): {Error}", video.Id, video.ProcessingAttempts, decision.Permanent ? "permanent" : "transient", decision.AdminDetail);
        if (decision.RetryDelay is not { } delay)
        {
            await FailAsync(run, video, version, decision.UserMessage);
            // The owner reads the plain sentence; the job dashboard keeps everything that was said.
            await recorder.SetErrorAsync(run, decision.AdminDetail, CancellationToken.None);
            return;
        }
        await recorder.FinishAsync(run, JobOutcome.Retrying, decision.AdminDetail, CancellationToken.None);
        if (!await lifecycle.RecordRetryAsync(video.Id, decision.UserMessage, CancellationToken.None))
        {
            LogRemovedMeanwhile(video.Id);
            return;
        }
        // The retry is scheduled before anything else can fail (storage down is a usual reason to be here).
        await queue.EnqueueAsync(video.Id, delay, CancellationToken.None);
        // Segments this attempt put up while ffmpeg ran are referenced by nobody now (the retry dropped a growing
        // manifest URL); a playable attempt moved media_version, so the next one publishes under a new version anyway.
        try
        {
            await storage.DeletePrefixAsync(StorageKeys.MediaVersionPrefix(video.Id, version), CancellationToken.None);
        }
        catch (Exception ex)
        {
            log.LogWarning(ex, "Could not remove the media of {VideoId}'s failed attempt (v{Version}); the next run's publish removes it", video.Id, version);
        }
    }

    /// <summary>The first growing manifest is up: the video plays from it while it is still processing.</summary>
    private async Task MarkPlayableAsync(Video video, int version, Manifest manifest, CancellationToken ct)
    {
        var top = manifest.Video[^1];
        var facts = new PlayableFacts(version, urls.For(video.Id, version, OutputLayout.ManifestJsonKey), manifest.ExpectedDuration ?? manifest.Duration, top.Width, top.Height);
        if (await lifecycle.MarkPlayableAsync(video.Id, video.OwnerId, facts, ct))
        {
            log.LogInformation("Video {VideoId} playable from growing v{Version} after {Seconds:0.0} s of encoding", video.Id, version, (clock.GetUtcNow() - manifest.GrowingSince!.Value).TotalSeconds);
        }
        else
        {
            // A ready video being reprocessed keeps serving its complete version; the growing one is published for nobody yet.
            log.LogInformation("Video {VideoId} keeps its served version while v{Version} grows", video.Id, version);
        }
    }

    private Task<bool> MarkReadyAsync(Video video, int version, ProcessedMedia processed, CancellationToken ct)
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

    private void TryDelete(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (Exception e) { log.LogWarning(e, "Could not remove work folder {Dir}", dir); }
    }
}

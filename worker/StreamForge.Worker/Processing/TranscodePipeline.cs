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
/// playable) → upload the rest and the final indexes → ready. How a run that does not publish ends (failure, abandon,
/// shutdown, crashed attempts) is <see cref="RunEndings"/>'s.
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
    RunEndings endings,
    IVideoEventPublisher events,
    MediaUrls urls,
    IProcessingQueue queue,
    IOptions<WorkerOptions> workerOptions,
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

        if (endings.AttemptsUsedUp(video))
        {
            await endings.GiveUpAfterCrashesAsync(video, worker, enqueuedAt);
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
            await endings.AbandonAsync(video, version, run);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await endings.ReleaseAsync(videoId, run);
            throw;
        }
        catch (Exception e)
        {
            await endings.HandleFailureAsync(run, video, version, e);
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
        // Read with the video in processing: a move never flips the location of a processing video, so this stays right.
        var mediaPrivate = video.MediaPrivate;
        var growing = new GrowingPublisher(publisher, videoId, version, mediaPrivate, (manifest, token) => MarkPlayableAsync(video, version, manifest, token), clock, log);
        var processed = await media.ProcessAsync(source, workDir, videoId.ToString("D"), video.MaxQuality,
            new Progress<double>(f => progress.Report(DownloadedAt + f * (EncodedAt - DownloadedAt))), ct, captions,
            (output, encodingDone) => growing.RunAsync(output, encodingDone, ct));
        var encodedAt = clock.GetUtcNow();
        File.Delete(source);

        await publisher.PublishAsync(videoId, version, mediaPrivate, processed.OutputFiles,
            new Progress<double>(f => progress.Report(EncodedAt + f * (99 - EncodedAt))), ct, growing.Uploaded);

        // One transaction: whoever sees the video ready also sees its run succeeded (the dashboard, tests).
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            if (!await MarkReadyAsync(video, version, processed, ct))
            {
                await tx.RollbackAsync(CancellationToken.None);
                await endings.AbandonAsync(video, version, run);
                return;
            }
            await recorder.FinishAsync(run, JobOutcome.Succeeded, null, CancellationToken.None);
            await tx.CommitAsync(CancellationToken.None);
        }
        await publisher.DeleteOtherVersionsAsync(videoId, version, mediaPrivate);
        // Visibility changed while it processed: the move waited for this ready transition.
        if (await db.Videos.AsNoTracking().AnyAsync(v => v.Id == videoId && (v.Visibility == VideoVisibility.Private) != v.MediaPrivate, CancellationToken.None))
            await queue.EnqueueMediaMoveAsync(videoId, ct: CancellationToken.None);
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

    /// <summary>The first growing manifest is up: the video plays from it while it is still processing.</summary>
    private async Task MarkPlayableAsync(Video video, int version, Manifest manifest, CancellationToken ct)
    {
        var top = manifest.Video[^1];
        var facts = new PlayableFacts(version, urls.Stored(video.Id, version, OutputLayout.ManifestJsonKey, video.MediaPrivate), manifest.ExpectedDuration ?? manifest.Duration, top.Width, top.Height);
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
            urls.Stored(video.Id, version, OutputLayout.ManifestJsonKey, video.MediaPrivate), urls.Stored(video.Id, version, OutputLayout.PosterKey, video.MediaPrivate),
            urls.Stored(video.Id, version, OutputLayout.ThumbsVttKey, video.MediaPrivate), facts, renditions), ct);
    }

    private void TryDelete(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (Exception e) { log.LogWarning(e, "Could not remove work folder {Dir}", dir); }
    }
}

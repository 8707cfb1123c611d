using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Core.Data;
using StreamForge.Core.Processing;
using StreamForge.Core.Storage;
using StreamForge.Core.Videos;

namespace StreamForge.Worker.Processing;

/// <summary>
/// How a run that does not publish ends: a failure applied as <see cref="FailurePolicy"/> decides (a retry later, or
/// the video failed), a run abandoned because the video was deleted or cancelled meanwhile, a run given back at
/// shutdown, and a video whose attempts crashed workers used up. Each closes the run, moves the video through
/// <see cref="VideoLifecycle"/> and removes the media nobody is served; <see cref="TranscodePipeline"/> only says which.
/// </summary>
public sealed class RunEndings(
    StreamForgeDbContext db,
    VideoLifecycle lifecycle,
    JobRunRecorder recorder,
    IStorageGateway storage,
    OutputPublisher publisher,
    IProcessingQueue queue,
    IOptions<JobsOptions> jobsOptions,
    ILogger<RunEndings> log)
{
    /// <summary>Shutdown past the grace period: the job goes back to the queue without counting the attempt.</summary>
    public async Task ReleaseAsync(Guid videoId, JobRun run)
    {
        await db.Videos.Where(v => v.Id == videoId).ExecuteUpdateAsync(s => s.SetProperty(v => v.ProcessingAttempts, v => Math.Max(0, v.ProcessingAttempts - 1)), CancellationToken.None);
        await recorder.FinishAsync(run, JobOutcome.Released, "The worker shut down; the job was released to run again.", CancellationToken.None);
        await queue.EnqueueAsync(videoId, ct: CancellationToken.None);
    }

    /// <summary>Deleted or cancelled while we worked: remove what this round wrote (a published version stays), close the run.</summary>
    public async Task AbandonAsync(Video video, int version, JobRun run)
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
                await publisher.DeleteOtherVersionsAsync(video.Id, video.MediaVersion, video.MediaPrivate);
            else
                await storage.DeletePrefixAsync(StorageKeys.MediaPrefix(video.Id, video.MediaPrivate), CancellationToken.None);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Could not remove the unserved media of {VideoId} (v{Version})", video.Id, version);
        }
    }

    // Operators (and the deletion test) learn from this line that the run ended and left nothing behind.
    private void LogRemovedMeanwhile(Guid videoId) =>
        log.LogInformation("Video {VideoId} was deleted or cancelled while it was processed; its run ended without publishing", videoId);

    /// <summary>
    /// Attempts are counted when a run starts, so a run whose worker died (kill -9, OOM) has used one. Quartz recovers
    /// such a job without passing through <see cref="HandleFailureAsync"/>: the limit must be enforced at the start of
    /// a run, or a source that kills its worker every time is retried forever.
    /// </summary>
    public bool AttemptsUsedUp(Video video) => video.ProcessingAttempts >= MaxAttempts;

    private int MaxAttempts => 1 + jobsOptions.Value.RetryDelays.Length;

    public async Task GiveUpAfterCrashesAsync(Video video, string worker, DateTimeOffset enqueuedAt)
    {
        // StartAsync closes the dead runs; they are what the message counts.
        var run = await recorder.StartAsync(video.Id, video.ProcessingAttempts, worker, enqueuedAt, CancellationToken.None);
        var stops = await recorder.CountWorkerStopsAsync(video.Id, video.EnqueuedAt ?? DateTimeOffset.MinValue, CancellationToken.None) - 1;
        var error = $"Processing stopped the worker {Math.Max(1, stops)} times; giving up.";
        log.LogWarning("Video {VideoId} used all {Attempts} attempts, the last ending with its worker: {Error}", video.Id, video.ProcessingAttempts, error);
        await FailAsync(run, video, video.MediaVersion + 1, error, error);
    }

    /// <summary>
    /// The run is closed with the admin's full detail before the video turns failed, so whoever sees the failed video
    /// (the owner, the dashboard, a test) finds its run already complete; the owner reads <paramref name="ownerMessage"/>.
    /// </summary>
    private async Task FailAsync(JobRun run, Video video, int version, string ownerMessage, string adminDetail)
    {
        await recorder.FinishAsync(run, JobOutcome.Failed, adminDetail, CancellationToken.None);
        if (!await lifecycle.FailAsync(video.Id, ownerMessage, CancellationToken.None))
        {
            LogRemovedMeanwhile(video.Id);
            return;
        }
        await DeleteUnservedAsync(video, version);
    }

    public async Task HandleFailureAsync(JobRun run, Video video, int version, Exception e)
    {
        var decision = FailurePolicy.Decide(e, video.ProcessingAttempts, jobsOptions.Value.RetryDelays);
        log.LogWarning(e, "Processing {VideoId} failed (attempt {Attempt}, {Kind}): {Error}", video.Id, video.ProcessingAttempts, decision.Permanent ? "permanent" : "transient", decision.AdminDetail);
        if (decision.RetryDelay is not { } delay)
        {
            // The owner reads the plain sentence; the job dashboard keeps everything that was said.
            await FailAsync(run, video, version, decision.UserMessage, decision.AdminDetail);
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
            await storage.DeletePrefixAsync(StorageKeys.MediaVersionPrefix(video.Id, version, video.MediaPrivate), CancellationToken.None);
        }
        catch (Exception ex)
        {
            log.LogWarning(ex, "Could not remove the media of {VideoId}'s failed attempt (v{Version}); the next run's publish removes it", video.Id, version);
        }
    }
}

using Microsoft.EntityFrameworkCore;
using StreamForge.Core.Data;
using StreamForge.Core.Events;
using StreamForge.Core.Processing;

namespace StreamForge.Worker.Processing;

/// <summary>
/// The start of a run: the owner's admission, the attempt counted and the run row opened, in one transaction, so two
/// workers cannot both take the owner's last slot. A video that must wait goes back to the queue, visibly.
/// </summary>
public sealed class RunStart(StreamForgeDbContext db, JobRunRecorder recorder, UserAdmission admission, IProcessingQueue queue,
    IVideoEventPublisher events, ILogger<RunStart> log)
{
    /// <summary>The opened run, or null when the video waits (queued again without using an attempt).</summary>
    public async Task<JobRun?> TryStartAsync(Video video, string worker, DateTimeOffset enqueuedAt, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await admission.CheckAsync(video, ct) is { } wait)
        {
            await tx.RollbackAsync(ct);
            await WaitAsync(video, wait);
            return null;
        }

        video.ProcessingAttempts++;
        video.Progress = 0;
        video.QueuedReason = null;
        await db.SaveChangesAsync(ct);
        var run = await recorder.StartAsync(video.Id, video.ProcessingAttempts, worker, enqueuedAt, ct);
        await tx.CommitAsync(ct);
        return run;
    }

    /// <summary>Back in the queue without using an attempt; the owner sees why (progress 0 and the reason).</summary>
    private async Task WaitAsync(Video video, AdmissionWait wait)
    {
        var shown = video.QueuedReason != wait.Reason;
        var still = await db.Videos.Where(v => v.Id == video.Id && v.Status == VideoStatus.Processing).ExecuteUpdateAsync(s => s
            .SetProperty(v => v.QueuedReason, wait.Reason)
            .SetProperty(v => v.Progress, 0), CancellationToken.None);
        if (still == 0) return;
        // A cancel between the check and here leaves a job that finds the video no longer processing and ends.
        await queue.EnqueueAsync(video.Id, wait.RetryAfter, CancellationToken.None);
        if (shown)
        {
            log.LogInformation("Video {VideoId} waits: {Reason}", video.Id, wait.Reason);
            await events.PublishAsync(new VideoEvent(video.Id, video.OwnerId, VideoStatus.Processing.ToWire(), 0, QueuedReason: wait.Reason), CancellationToken.None);
        }
    }
}

using Quartz;
using StreamForge.Core.Processing;

namespace StreamForge.Worker.Processing;

/// <summary>The Quartz entry point: one run of one video's processing. The work is in <see cref="TranscodePipeline"/>.</summary>
[DisallowConcurrentExecution]
public sealed class TranscodeJob(TranscodePipeline pipeline, WorkerShutdown shutdown) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var data = context.MergedJobDataMap;
        var videoId = Guid.Parse(data.GetString(ProcessingJobs.VideoIdKey)!);
        var enqueuedAt = DateTimeOffset.TryParse(data.GetString(ProcessingJobs.EnqueuedAtKey), out var t) ? t : context.FireTimeUtc;
        using var tracked = shutdown.Track();
        // Quartz cancels the token only when it shuts down without waiting; the grace period decides instead.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, shutdown.Killing);
        try
        {
            await pipeline.RunAsync(videoId, enqueuedAt, context.Scheduler.SchedulerInstanceId, linked.Token);
        }
        finally
        {
            // A run lasts minutes and leaves mostly garbage (upload buffers, SDK requests): one aggressive,
            // compacting collection per run costs milliseconds and hands the memory back to the OS, so an idle
            // worker does not sit on the previous job's gen0 budget while the next one starts.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }
}

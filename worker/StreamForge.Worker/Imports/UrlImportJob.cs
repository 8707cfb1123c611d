using Quartz;
using StreamForge.Core.Processing;
using StreamForge.Worker.Processing;

namespace StreamForge.Worker.Imports;

/// <summary>The Quartz entry point of an import from a URL; the work is in <see cref="UrlImportPipeline"/>.</summary>
[DisallowConcurrentExecution]
public sealed class UrlImportJob(UrlImportPipeline pipeline, RunningJobs runs, WorkerShutdown shutdown) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var videoId = Guid.Parse(context.MergedJobDataMap.GetString(ProcessingJobs.VideoIdKey)!);
        using var tracked = shutdown.Track();
        using var shuttingDown = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, shutdown.Killing);
        // Registered like a transcode, so deleting the video (from any API node) stops the fetch at once.
        using var run = runs.Register(videoId, shuttingDown.Token);
        await pipeline.RunAsync(videoId, run, shuttingDown.Token);
    }
}

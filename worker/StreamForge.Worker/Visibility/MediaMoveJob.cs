using Quartz;
using StreamForge.Core.Processing;

namespace StreamForge.Worker.Visibility;

/// <summary>The Quartz entry point of a media move; the work is in <see cref="MediaMove"/>.</summary>
public sealed class MediaMoveJob(MediaMove move) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await move.RunAsync(Guid.Parse(context.MergedJobDataMap.GetString(ProcessingJobs.VideoIdKey)!), cancellationToken);
}

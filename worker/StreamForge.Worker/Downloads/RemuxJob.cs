using System.Globalization;
using Quartz;
using StreamForge.Core.Processing;

namespace StreamForge.Worker.Downloads;

/// <summary>The Quartz entry point of a download remux; the work is in <see cref="RemuxPipeline"/>.</summary>
[DisallowConcurrentExecution]
public sealed class RemuxJob(RemuxPipeline pipeline) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var data = context.MergedJobDataMap;
        await pipeline.RunAsync(
            Guid.Parse(data.GetString(ProcessingJobs.VideoIdKey)!),
            int.Parse(data.GetString(ProcessingJobs.MediaVersionKey)!, CultureInfo.InvariantCulture),
            data.GetString(ProcessingJobs.RenditionKey)!,
            cancellationToken);
    }
}

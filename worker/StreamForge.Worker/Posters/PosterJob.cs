using System.Globalization;
using Quartz;
using StreamForge.Core.Processing;

namespace StreamForge.Worker.Posters;

/// <summary>The Quartz entry point of a chosen poster; the work is in <see cref="PosterPipeline"/>.</summary>
public sealed class PosterJob(PosterPipeline pipeline) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var data = context.MergedJobDataMap;
        await pipeline.RunAsync(
            Guid.Parse(data.GetString(ProcessingJobs.VideoIdKey)!),
            int.Parse(data.GetString(ProcessingJobs.MediaVersionKey)!, CultureInfo.InvariantCulture),
            int.Parse(data.GetString(ProcessingJobs.PosterNumberKey)!, CultureInfo.InvariantCulture),
            data.GetString(ProcessingJobs.PosterSourceKey)!,
            cancellationToken);
    }
}

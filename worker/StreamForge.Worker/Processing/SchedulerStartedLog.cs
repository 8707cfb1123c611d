using Microsoft.Extensions.Options;
using Quartz;

namespace StreamForge.Worker.Processing;

/// <summary>
/// Says when this worker starts taking jobs and how many transcodes it runs at once. Operators read it in the log;
/// tests wait for it before they queue work a cluster of workers should share.
/// </summary>
public sealed class SchedulerStartedLog(IOptions<WorkerOptions> options, ILogger<SchedulerStartedLog> log) : ISchedulerListener
{
    public ValueTask SchedulerStarted(IScheduler scheduler, CancellationToken cancellationToken = default)
    {
        log.LogInformation("Worker {Instance} is taking jobs, at most {Slots} transcodes at once", scheduler.SchedulerInstanceId, options.Value.EffectiveConcurrency);
        return ValueTask.CompletedTask;
    }
}

using Microsoft.Extensions.Options;
using Quartz;
using StreamForge.Core.Processing;

namespace StreamForge.Worker.Maintenance;

/// <summary>Declares the recurring maintenance trigger; every worker does it, the store keeps one.</summary>
public sealed class MaintenanceScheduler(ISchedulerFactory schedulers, IOptions<JobsOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var job = JobBuilder.Create<MaintenanceJob>().WithIdentity(MaintenanceJob.Key).StoreDurably().Build();
        var trigger = TriggerBuilder.Create()
            .ForJob(MaintenanceJob.Key)
            .WithIdentity("maintenance", ProcessingJobs.MaintenanceGroup)
            .WithExecutionGroup(ProcessingJobs.MaintenanceGroup)
            .StartNow()
            .WithSimpleSchedule(s => s.WithInterval(options.Value.CleanupInterval).RepeatForever())
            .Build();
        await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

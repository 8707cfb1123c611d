using Microsoft.Extensions.Options;
using Quartz;
using StreamForge.Core.Webhooks;

namespace StreamForge.Worker.Webhooks;

/// <summary>
/// Declares the delivery job and its recurring sweep (every worker does it, the store keeps one): the sweep sends what
/// a lost wake-up left behind (a process that died between an event's commit and its wake-up).
/// </summary>
public sealed class WebhookDispatchScheduler(ISchedulerFactory schedulers, IOptions<WebhookOptions> options) : IHostedService
{
    public static readonly TriggerKey SweepKey = new("sweep", WebhookDispatch.Group);

    public async Task StartAsync(CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var job = JobBuilder.Create<WebhookDispatchJob>().WithIdentity(WebhookDispatch.Key).StoreDurably().Build();
        var sweep = TriggerBuilder.Create()
            .ForJob(WebhookDispatch.Key)
            .WithIdentity(SweepKey)
            .WithExecutionGroup(WebhookDispatch.Group)
            .StartNow()
            .WithSimpleSchedule(s => s.WithInterval(options.Value.SweepInterval).RepeatForever())
            .Build();
        await scheduler.ScheduleJob(job, [sweep], ScheduleJobOptions.Replacing, ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

using Npgsql;
using Quartz;
using StreamForge.Core.Processing;

namespace StreamForge.Core.Webhooks;

/// <summary>
/// Wakes the worker's delivery job at a given time. The deliveries table is the queue; a trigger only says "look now",
/// so a lost one costs latency (the recurring sweep finds the rows), never a delivery.
/// </summary>
public sealed class WebhookDispatch(ISchedulerFactory schedulers, NpgsqlDataSource dataSource)
{
    public const string Group = "webhooks";
    public static readonly JobKey Key = new("dispatch", Group);
    /// <summary>Resolved by name so the API need not load the worker's assembly.</summary>
    public const string JobType = "StreamForge.Worker.Webhooks.WebhookDispatchJob, StreamForge.Worker";

    public async Task ScheduleAsync(DateTimeOffset at, CancellationToken ct = default)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var job = JobBuilder.Create().OfType(new JobType(JobType)).WithIdentity(Key).StoreDurably().Build();
        // One trigger per second at most: many events in the same second share a run.
        var trigger = TriggerBuilder.Create()
            .ForJob(Key)
            .WithIdentity($"dispatch-{at.ToUnixTimeSeconds()}", Group)
            .StartAt(at)
            .WithExecutionGroup(Group)
            .Build();
        await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, ct);
        if (at <= DateTimeOffset.UtcNow)
        {
            await using var cmd = dataSource.CreateCommand($"NOTIFY {ProcessingJobs.WakeChannel}");
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }
}

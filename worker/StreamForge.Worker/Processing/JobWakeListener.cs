using Npgsql;
using Quartz;
using StreamForge.Core.Processing;

namespace StreamForge.Worker.Processing;

/// <summary>
/// Quartz only re-reads the store every IdleWaitTime (1 s at least) unless a job is scheduled through
/// its own scheduler. The API NOTIFYs when it enqueues; this pokes the local scheduler so an idle
/// worker picks the job up in milliseconds. Polling stays as the fallback.
/// </summary>
public sealed class JobWakeListener(NpgsqlDataSource dataSource, ISchedulerFactory schedulers, ILogger<JobWakeListener> log)
    : NotificationListener(dataSource, log)
{
    private static readonly GroupMatcher<TriggerKey> Nothing = GroupMatcher<TriggerKey>.GroupEquals("wake-no-triggers");
    private IScheduler? _scheduler;

    protected override string Channel => ProcessingJobs.WakeChannel;
    protected override string GapCoveredBy => "polling";

    protected override async Task PrepareAsync(CancellationToken ct) => _scheduler = await schedulers.GetScheduler(ct);

    protected override void OnNotification(string payload) => _ = WakeAsync();

    private async Task WakeAsync()
    {
        // Resuming an empty trigger group changes nothing but signals the scheduler thread to look now.
        try { await _scheduler!.ResumeTriggerGroups(Nothing); }
        catch (Exception e) { log.LogDebug(e, "Wake-up ignored"); }
    }
}

using Npgsql;
using Quartz;
using StreamForge.Core.Processing;

namespace StreamForge.Worker.Processing;

/// <summary>
/// Quartz only re-reads the store every IdleWaitTime (1 s at least) unless a job is scheduled through
/// its own scheduler. The API NOTIFYs when it enqueues; this pokes the local scheduler so an idle
/// worker picks the job up in milliseconds. Polling stays as the fallback.
/// </summary>
public sealed class JobWakeListener(NpgsqlDataSource dataSource, ISchedulerFactory schedulers, ILogger<JobWakeListener> log) : BackgroundService
{
    private static readonly GroupMatcher<TriggerKey> Nothing = GroupMatcher<TriggerKey>.GroupEquals("wake-no-triggers");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var scheduler = await schedulers.GetScheduler(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var conn = await dataSource.OpenConnectionAsync(stoppingToken);
                conn.Notification += (_, _) => _ = Wake(scheduler);
                await using (var cmd = new NpgsqlCommand($"LISTEN {ProcessingJobs.WakeChannel}", conn))
                    await cmd.ExecuteNonQueryAsync(stoppingToken);
                while (!stoppingToken.IsCancellationRequested) await conn.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning(e, "Job wake-up listener lost its connection; polling covers the gap");
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken).ContinueWith(_ => { });
            }
        }
    }

    private async Task Wake(IScheduler scheduler)
    {
        // Resuming an empty trigger group changes nothing but signals the scheduler thread to look now.
        try { await scheduler.ResumeTriggerGroups(Nothing); }
        catch (Exception e) { log.LogDebug(e, "Wake-up ignored"); }
    }
}

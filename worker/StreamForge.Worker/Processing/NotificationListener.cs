using Npgsql;

namespace StreamForge.Worker.Processing;

/// <summary>
/// LISTENs on one PostgreSQL channel for the worker's life and hands each payload to <see cref="OnNotification"/>;
/// a lost connection is opened again after a short pause. Notifications sent while it was down are gone, so each
/// listener has a slower path that covers the gap (named in <see cref="GapCoveredBy"/> for the log).
/// </summary>
public abstract class NotificationListener(NpgsqlDataSource dataSource, ILogger log) : BackgroundService
{
    protected abstract string Channel { get; }

    /// <summary>What still does the job while the connection is down ("polling", "the progress tick").</summary>
    protected abstract string GapCoveredBy { get; }

    protected abstract void OnNotification(string payload);

    /// <summary>Runs once before listening starts.</summary>
    protected virtual Task PrepareAsync(CancellationToken ct) => Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await PrepareAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var conn = await dataSource.OpenConnectionAsync(stoppingToken);
                conn.Notification += (_, e) => OnNotification(e.Payload);
                await using (var cmd = new NpgsqlCommand($"LISTEN {Channel}", conn))
                    await cmd.ExecuteNonQueryAsync(stoppingToken);
                while (!stoppingToken.IsCancellationRequested) await conn.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning(e, "Listener on {Channel} lost its connection; {Fallback} covers the gap", Channel, GapCoveredBy);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken).ContinueWith(_ => { });
            }
        }
    }
}

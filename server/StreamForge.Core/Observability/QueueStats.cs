using Npgsql;
using StreamForge.Core.Processing;

namespace StreamForge.Core.Observability;

/// <summary>
/// Reads the transcode queue from Quartz's own tables, cached for a few seconds: a scrape every few seconds from
/// several Prometheus servers must not turn into a query per gauge per scrape.
/// </summary>
public sealed class QueueStats(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>Triggers still to be picked up by a worker; the same query drives KEDA's scaler (deploy/k8s).</summary>
    public const string WaitingSql =
        "SELECT count(*), min(next_fire_time) FROM qrtz_triggers WHERE sched_name = @sched AND trigger_group = @group AND trigger_state = 'WAITING'";
    private const string RunningSql =
        "SELECT count(*) FROM qrtz_fired_triggers WHERE sched_name = @sched AND trigger_group = @group";

    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private QueueSnapshot _last = new(0, 0, 0);
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    /// <summary>The cached figures, refreshed synchronously when stale (gauge callbacks are synchronous).</summary>
    public QueueSnapshot Current()
    {
        lock (_gate)
        {
            if (clock.GetUtcNow() - _readAt < CacheFor) return _last;
            try
            {
                _last = ReadAsync(CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                // Keep the last figures: a scrape must not fail because the database blinked.
            }
            _readAt = clock.GetUtcNow();
            return _last;
        }
    }

    public async Task<QueueSnapshot> ReadAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (!await QuartzTablesExistAsync(connection, ct)) return new(0, 0, 0);
        await using var waiting = new NpgsqlCommand(WaitingSql, connection);
        waiting.Parameters.AddWithValue("sched", ProcessingJobs.SchedulerName);
        waiting.Parameters.AddWithValue("group", ProcessingJobs.TranscodeGroup);
        int count; double oldest = 0;
        await using (var reader = await waiting.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            count = (int)reader.GetInt64(0);
            if (!reader.IsDBNull(1))
            {
                // Quartz.NET stores fire times as UTC DateTime ticks (not Java Quartz's epoch milliseconds); a trigger
                // due in the future is not waiting yet.
                var due = new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero);
                oldest = Math.Max(0, (clock.GetUtcNow() - due).TotalSeconds);
            }
        }
        await using var running = new NpgsqlCommand(RunningSql, connection);
        running.Parameters.AddWithValue("sched", ProcessingJobs.SchedulerName);
        running.Parameters.AddWithValue("group", ProcessingJobs.TranscodeGroup);
        var busy = Convert.ToInt32(await running.ExecuteScalarAsync(ct));
        return new(count, oldest, busy);
    }

    private static async Task<bool> QuartzTablesExistAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT to_regclass('qrtz_triggers') IS NOT NULL AND to_regclass('qrtz_fired_triggers') IS NOT NULL", connection);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }
}

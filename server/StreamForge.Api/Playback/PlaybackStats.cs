using Npgsql;

namespace StreamForge.Api.Playback;

/// <summary>
/// The rebuffer ratio gauge's source, cached like the queue gauges: several Prometheus servers scraping every few
/// seconds must not each run the query.
/// </summary>
public sealed class PlaybackStats(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private readonly Lock _gate = new();
    private double _last;
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    /// <summary>Rebuffer seconds over watch seconds of the views reported in the last 24 hours.</summary>
    public double RebufferRatio()
    {
        lock (_gate)
        {
            if (clock.GetUtcNow() - _readAt < CacheFor) return _last;
            try
            {
                using var connection = dataSource.OpenConnection();
                using var cmd = new NpgsqlCommand(
                    "SELECT coalesce(sum(rebuffer_seconds) / nullif(sum(watch_seconds), 0), 0) FROM playback_views WHERE reported_at >= @since", connection);
                cmd.Parameters.AddWithValue("since", clock.GetUtcNow() - TimeSpan.FromHours(24));
                _last = Convert.ToDouble(cmd.ExecuteScalar());
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                // Keep the last figure: a scrape must not fail because the database blinked.
            }
            _readAt = clock.GetUtcNow();
            return _last;
        }
    }
}

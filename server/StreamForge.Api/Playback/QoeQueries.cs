using Npgsql;

namespace StreamForge.Api.Playback;

/// <summary>Adds up stored views over a window, for one video or for all of them.</summary>
public sealed class QoeQueries(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string Figures = """
        count(*)::int,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY startup_ms),
        coalesce(sum(rebuffer_seconds) / nullif(sum(watch_seconds), 0), 0),
        coalesce(sum(rebuffer_count), 0)::bigint,
        coalesce(sum(rebuffer_seconds), 0),
        coalesce(sum(watch_seconds), 0),
        (sum(avg_bitrate_bps * watch_seconds) / nullif(sum(watch_seconds) FILTER (WHERE avg_bitrate_bps IS NOT NULL), 0))::bigint,
        coalesce(sum(bitrate_switches), 0)::bigint,
        coalesce(sum(dropped_frames), 0)::bigint,
        coalesce(sum(fatal_errors), 0)::bigint
        """;

    public const int WorstVideos = 10;

    public async Task<QoeSummary> ForVideoAsync(Guid videoId, string window, TimeSpan span, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await SummaryAsync(connection, videoId, window, clock.GetUtcNow() - span, ct);
    }

    public async Task<QoeOverview> OverviewAsync(string window, TimeSpan span, CancellationToken ct)
    {
        var since = clock.GetUtcNow() - span;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var totals = await SummaryAsync(connection, null, window, since, ct);
        await using var cmd = new NpgsqlCommand($"""
            SELECT p.video_id, v.title, count(*)::int, percentile_cont(0.5) WITHIN GROUP (ORDER BY p.startup_ms),
                   coalesce(sum(p.rebuffer_seconds) / nullif(sum(p.watch_seconds), 0), 0) AS ratio,
                   sum(p.watch_seconds), sum(p.fatal_errors)::bigint AS errors
              FROM playback_views p JOIN videos v ON v.id = p.video_id
             WHERE p.reported_at >= @since
             GROUP BY p.video_id, v.title
             ORDER BY ratio DESC, errors DESC, p.video_id
             LIMIT {WorstVideos}
            """, connection);
        cmd.Parameters.AddWithValue("since", since);
        var worst = new List<VideoQoe>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            worst.Add(new(reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetDouble(3) / 1000,
                reader.GetDouble(4), reader.GetDouble(5), reader.GetInt64(6)));
        return new(totals, worst);
    }

    private static async Task<QoeSummary> SummaryAsync(NpgsqlConnection connection, Guid? videoId, string window, DateTimeOffset since, CancellationToken ct)
    {
        var filter = videoId is null ? "reported_at >= @since" : "video_id = @video AND reported_at >= @since";
        await using var cmd = new NpgsqlCommand($"SELECT {Figures} FROM playback_views WHERE {filter}", connection);
        cmd.Parameters.AddWithValue("since", since);
        if (videoId is { } id) cmd.Parameters.AddWithValue("video", id);
        int views; double? median; double ratio, rebufferSeconds, watch; long rebuffers, switches, dropped, errors; long? bitrate;
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            views = reader.GetInt32(0);
            median = reader.IsDBNull(1) ? null : reader.GetDouble(1) / 1000;
            ratio = reader.GetDouble(2);
            rebuffers = reader.GetInt64(3);
            rebufferSeconds = reader.GetDouble(4);
            watch = reader.GetDouble(5);
            bitrate = reader.IsDBNull(6) ? null : reader.GetInt64(6);
            switches = reader.GetInt64(7);
            dropped = reader.GetInt64(8);
            errors = reader.GetInt64(9);
        }
        // Keys are validated heights on the way in, so the cast cannot fail.
        await using var mix = new NpgsqlCommand($"""
            SELECT r.key::int, sum(r.value::double precision)
              FROM playback_views p, jsonb_each_text(p.rendition_seconds) r
             WHERE {filter.Replace("reported_at", "p.reported_at").Replace("video_id", "p.video_id")}
             GROUP BY 1 ORDER BY 1 DESC
            """, connection);
        mix.Parameters.AddWithValue("since", since);
        if (videoId is { } vid) mix.Parameters.AddWithValue("video", vid);
        var heights = new List<(int Height, double Seconds)>();
        await using (var reader = await mix.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) heights.Add((reader.GetInt32(0), reader.GetDouble(1)));
        var total = heights.Sum(h => h.Seconds);
        var renditions = heights.Select(h => new RenditionShare(h.Height, h.Seconds, total > 0 ? h.Seconds / total : 0)).ToList();
        return new(window, views, median, ratio, rebuffers, rebufferSeconds, watch, bitrate, switches, dropped, errors, renditions);
    }
}

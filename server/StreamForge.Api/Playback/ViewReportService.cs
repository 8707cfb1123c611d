using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using StreamForge.Core.Data;
using StreamForge.Core.Observability;

namespace StreamForge.Api.Playback;

/// <summary>Stores view reports: one row per view id, the latest cumulative figures winning.</summary>
public sealed class ViewReportService(StreamForgeDbContext db, NpgsqlDataSource dataSource, StreamForgeMetrics metrics, TimeProvider clock)
{
    /// <summary>
    /// A view id stays bound to the video of its first report (a report naming another video leaves the row alone),
    /// and a report with less watch time than the stored one is an older beacon that arrived late, so it is dropped.
    /// The CTE reads the row as it was before this statement, which tells whether the startup became known now.
    /// </summary>
    private const string UpsertSql = """
        WITH old AS (SELECT startup_ms FROM playback_views WHERE view_id = @view)
        INSERT INTO playback_views (view_id, video_id, first_report_at, reported_at, startup_ms, watch_seconds, rebuffer_count,
                                    rebuffer_seconds, bitrate_switches, avg_bitrate_bps, dropped_frames, fatal_errors, rendition_seconds)
        VALUES (@view, @video, @now, @now, @startup, @watch, @rebuffers, @rebufferSeconds, @switches, @bitrate, @dropped, @errors, @renditions)
        ON CONFLICT (view_id) DO UPDATE SET
            reported_at = excluded.reported_at,
            startup_ms = coalesce(playback_views.startup_ms, excluded.startup_ms),
            watch_seconds = excluded.watch_seconds,
            rebuffer_count = excluded.rebuffer_count,
            rebuffer_seconds = excluded.rebuffer_seconds,
            bitrate_switches = excluded.bitrate_switches,
            avg_bitrate_bps = excluded.avg_bitrate_bps,
            dropped_frames = excluded.dropped_frames,
            fatal_errors = excluded.fatal_errors,
            rendition_seconds = excluded.rendition_seconds
        WHERE playback_views.video_id = excluded.video_id AND excluded.watch_seconds >= playback_views.watch_seconds
        RETURNING (xmax = 0) AS inserted, (SELECT startup_ms FROM old) AS old_startup
        """;

    /// <summary>The videos among <paramref name="ids"/> a viewer can be watching: ready, or playable while processing.</summary>
    public async Task<HashSet<Guid>> PlayableAsync(IEnumerable<Guid> ids, CancellationToken ct)
    {
        var wanted = ids.Distinct().ToList();
        return (await db.Videos.Where(v => wanted.Contains(v.Id) && (v.Status == VideoStatus.Ready || v.ManifestUrl != null))
            .Select(v => v.Id).ToListAsync(ct)).ToHashSet();
    }

    /// <summary>Stores every view; returns how many were taken (the others named another video or were stale).</summary>
    public async Task<int> StoreAsync(IReadOnlyList<ViewReport> views, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var taken = 0;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        foreach (var v in views)
        {
            await using var cmd = new NpgsqlCommand(UpsertSql, connection);
            cmd.Parameters.AddWithValue("view", v.ViewId);
            cmd.Parameters.AddWithValue("video", v.VideoId);
            cmd.Parameters.AddWithValue("now", now);
            cmd.Parameters.AddWithValue("startup", NpgsqlDbType.Integer, (object?)v.StartupMs ?? DBNull.Value);
            cmd.Parameters.AddWithValue("watch", v.WatchSeconds);
            cmd.Parameters.AddWithValue("rebuffers", v.RebufferCount);
            cmd.Parameters.AddWithValue("rebufferSeconds", v.RebufferSeconds);
            cmd.Parameters.AddWithValue("switches", v.BitrateSwitches);
            cmd.Parameters.AddWithValue("bitrate", NpgsqlDbType.Bigint, (object?)v.AvgBitrateBps ?? DBNull.Value);
            cmd.Parameters.AddWithValue("dropped", v.DroppedFrames);
            cmd.Parameters.AddWithValue("errors", v.FatalErrors);
            cmd.Parameters.AddWithValue("renditions", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(v.RenditionSeconds ?? []));
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct)) continue;
            taken++;
            if (reader.GetBoolean(0)) metrics.PlaybackViewStarted();
            if (v.StartupMs is { } startup && reader.IsDBNull(1)) metrics.PlaybackStartup(startup / 1000.0);
        }
        return taken;
    }
}

using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamForge.Core.Data.Migrations;

/// <summary>
/// Hand-written (see Initial). One row per player view with its latest cumulative QoE figures; rows go with their video.
/// </summary>
[DbContext(typeof(StreamForgeDbContext))]
[Migration("20261207110000_PlaybackViews")]
public sealed class PlaybackViews : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
CREATE TABLE playback_views (
    view_id uuid NOT NULL,
    video_id uuid NOT NULL,
    first_report_at timestamp with time zone NOT NULL,
    reported_at timestamp with time zone NOT NULL,
    startup_ms integer,
    watch_seconds double precision NOT NULL,
    rebuffer_count integer NOT NULL,
    rebuffer_seconds double precision NOT NULL,
    bitrate_switches integer NOT NULL,
    avg_bitrate_bps bigint,
    dropped_frames bigint NOT NULL,
    fatal_errors integer NOT NULL,
    rendition_seconds jsonb NOT NULL,
    CONSTRAINT pk_playback_views PRIMARY KEY (view_id),
    CONSTRAINT fk_playback_views_video FOREIGN KEY (video_id) REFERENCES videos (id) ON DELETE CASCADE
);
CREATE INDEX ix_playback_views_video_reported ON playback_views (video_id, reported_at);
CREATE INDEX ix_playback_views_reported ON playback_views (reported_at);
""");

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("DROP TABLE playback_views;");
}

using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamForge.Core.Data.Migrations;

/// <summary>
/// Hand-written (see Initial). Caption tracks per video and language, and the on-demand MP4 downloads of a rung
/// (one row per video, media version and rung, so concurrent requests share one remux).
/// </summary>
[DbContext(typeof(StreamForgeDbContext))]
[Migration("20261204060000_Captions")]
public sealed class Captions : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
CREATE TABLE captions (
    video_id uuid NOT NULL,
    lang character varying(35) NOT NULL,
    label character varying(100) NOT NULL,
    vtt text NOT NULL,
    cue_count integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_captions PRIMARY KEY (video_id, lang),
    CONSTRAINT ck_captions_cue_count CHECK (cue_count >= 1),
    CONSTRAINT fk_captions_video FOREIGN KEY (video_id) REFERENCES videos (id) ON DELETE CASCADE
);
CREATE TABLE video_downloads (
    video_id uuid NOT NULL,
    media_version integer NOT NULL,
    rendition character varying(16) NOT NULL,
    status character varying(16) NOT NULL,
    attempts integer NOT NULL,
    size_bytes bigint,
    error character varying(2000),
    requested_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone,
    CONSTRAINT pk_video_downloads PRIMARY KEY (video_id, media_version, rendition),
    CONSTRAINT ck_video_downloads_status CHECK (status IN ('preparing', 'ready', 'failed')),
    CONSTRAINT ck_video_downloads_version CHECK (media_version >= 1),
    CONSTRAINT fk_video_downloads_video FOREIGN KEY (video_id) REFERENCES videos (id) ON DELETE CASCADE
);
""");
    }

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("DROP TABLE video_downloads; DROP TABLE captions;");
}

using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamForge.Core.Data.Migrations;

/// <summary>
/// Hand-written (see Initial). Who may watch a video (existing videos stay reachable by their link: unlisted), where
/// its media physically is (media/ or private/, which a background move brings in line with the visibility), the
/// visibility an upload link gives the video it creates, and share links to private videos (kept as hashes).
/// </summary>
[DbContext(typeof(StreamForgeDbContext))]
[Migration("20261208100000_Visibility")]
public sealed class Visibility : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
ALTER TABLE videos ADD visibility character varying(16) NOT NULL DEFAULT 'unlisted';
ALTER TABLE videos ADD media_private boolean NOT NULL DEFAULT false;
ALTER TABLE videos ADD CONSTRAINT ck_videos_visibility CHECK (visibility IN ('public', 'unlisted', 'private'));
CREATE INDEX ix_videos_visibility_status_created ON videos (visibility, status, created_at);
ALTER TABLE direct_uploads ADD visibility character varying(16);
ALTER TABLE direct_uploads ADD CONSTRAINT ck_direct_uploads_visibility CHECK (visibility IS NULL OR visibility IN ('public', 'unlisted', 'private'));
CREATE TABLE share_links (
    id uuid NOT NULL,
    video_id uuid NOT NULL,
    token_hash character varying(64) NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_share_links PRIMARY KEY (id),
    CONSTRAINT fk_share_links_video FOREIGN KEY (video_id) REFERENCES videos (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX ux_share_links_token_hash ON share_links (token_hash);
CREATE INDEX ix_share_links_video_created ON share_links (video_id, created_at);
""");

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
DROP TABLE share_links;
ALTER TABLE direct_uploads DROP CONSTRAINT ck_direct_uploads_visibility, DROP COLUMN visibility;
DROP INDEX ix_videos_visibility_status_created;
ALTER TABLE videos DROP CONSTRAINT ck_videos_visibility, DROP COLUMN visibility, DROP COLUMN media_private;
""");
}

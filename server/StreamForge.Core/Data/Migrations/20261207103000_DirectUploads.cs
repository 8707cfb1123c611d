using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamForge.Core.Data.Migrations;

/// <summary>
/// Hand-written (see Initial). One-time upload links an account hands to a third party (kept as hashes), and the
/// caller's opaque passthrough string on videos. video_id carries no foreign key: the link is claimed before its
/// video row exists (race-safe single use), and it stays "used" as history after the video is deleted.
/// </summary>
[DbContext(typeof(StreamForgeDbContext))]
[Migration("20261207103000_DirectUploads")]
public sealed class DirectUploads : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
ALTER TABLE videos ADD passthrough character varying(255);
CREATE TABLE direct_uploads (
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    token_hash character varying(64) NOT NULL,
    title character varying(200),
    max_quality integer,
    passthrough character varying(255),
    allowed_origin character varying(255),
    expires_at timestamp with time zone NOT NULL,
    video_id uuid,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_direct_uploads PRIMARY KEY (id),
    CONSTRAINT fk_direct_uploads_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT ck_direct_uploads_max_quality CHECK (max_quality IS NULL OR max_quality IN (360, 480, 720, 1080))
);
CREATE UNIQUE INDEX ux_direct_uploads_token_hash ON direct_uploads (token_hash);
CREATE INDEX ix_direct_uploads_user_created ON direct_uploads (user_id, created_at);
""");

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("DROP TABLE direct_uploads; ALTER TABLE videos DROP COLUMN passthrough;");
}

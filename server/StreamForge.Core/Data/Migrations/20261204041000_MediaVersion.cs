using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamForge.Core.Data.Migrations;

/// <summary>
/// Versioned media paths (media/{videoId}/v{n}/…): reprocessing writes new keys instead of rewriting immutable ones.
/// Existing rows start at 0; their next processing publishes v1 and removes the unversioned objects.
/// </summary>
[DbContext(typeof(StreamForgeDbContext))]
[Migration("20261204041000_MediaVersion")]
public sealed class MediaVersion : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        // The default only fills existing rows; the model has none, so it is dropped again.
        migrationBuilder.Sql("""
ALTER TABLE videos ADD media_version integer NOT NULL DEFAULT 0;
ALTER TABLE videos ALTER COLUMN media_version DROP DEFAULT;
ALTER TABLE videos ADD CONSTRAINT ck_videos_media_version CHECK (media_version >= 0);
""");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("ALTER TABLE videos DROP CONSTRAINT ck_videos_media_version; ALTER TABLE videos DROP COLUMN media_version;");
    }
}

using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamForge.Core.Data.Migrations;

/// <summary>
/// Hand-written (see Initial). A processing video can already be watched from a growing media version: when it first
/// became playable, and whether manifest_url points at media that is still being written.
/// </summary>
[DbContext(typeof(StreamForgeDbContext))]
[Migration("20261206220000_PlayableWhileProcessing")]
public sealed class PlayableWhileProcessing : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
ALTER TABLE videos ADD playable_at timestamp with time zone NULL;
ALTER TABLE videos ADD media_growing boolean NOT NULL DEFAULT false;
""");

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
ALTER TABLE videos DROP COLUMN media_growing;
ALTER TABLE videos DROP COLUMN playable_at;
""");
}

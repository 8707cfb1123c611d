using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamForge.Core.Data.Migrations;

/// <summary>
/// Hand-written (see Initial). Import from a URL is an upload session of mode 'import' that the worker fills: it
/// records where it fetches from, and its size starts at 0 and grows with every part received (and reserved).
/// </summary>
[DbContext(typeof(StreamForgeDbContext))]
[Migration("20261207102000_UrlImports")]
public sealed class UrlImports : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
ALTER TABLE upload_sessions ADD source_url character varying(2048) NULL;
ALTER TABLE upload_sessions DROP CONSTRAINT ck_upload_sessions_mode;
ALTER TABLE upload_sessions ADD CONSTRAINT ck_upload_sessions_mode CHECK (mode IN ('single', 'multipart', 'import'));
ALTER TABLE upload_sessions DROP CONSTRAINT ck_upload_sessions_parts;
ALTER TABLE upload_sessions ADD CONSTRAINT ck_upload_sessions_parts CHECK (part_count BETWEEN 1 AND 10000 AND part_size > 0 AND (size > 0 OR mode = 'import'));
""");

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
DELETE FROM videos WHERE id IN (SELECT video_id FROM upload_sessions WHERE mode = 'import');
ALTER TABLE upload_sessions DROP CONSTRAINT ck_upload_sessions_parts;
ALTER TABLE upload_sessions ADD CONSTRAINT ck_upload_sessions_parts CHECK (part_count BETWEEN 1 AND 10000 AND part_size > 0 AND size > 0);
ALTER TABLE upload_sessions DROP CONSTRAINT ck_upload_sessions_mode;
ALTER TABLE upload_sessions ADD CONSTRAINT ck_upload_sessions_mode CHECK (mode IN ('single', 'multipart'));
ALTER TABLE upload_sessions DROP COLUMN source_url;
""");
}

using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamForge.Core.Data.Migrations;

/// <summary>
/// Hand-written (see Initial). Completion records the ETag of the source object it measured, so the
/// worker can refuse a source replaced after it was charged.
/// </summary>
[DbContext(typeof(StreamForgeDbContext))]
[Migration("20261204040000_SourceETag")]
public sealed class SourceETag : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("ALTER TABLE videos ADD COLUMN source_etag character varying(128);");

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("ALTER TABLE videos DROP COLUMN source_etag;");
}

using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamForge.Core.Data.Migrations;

/// <summary>Hand-written (see Initial). Counts an owner's retries of a video per 24 hours, for the daily retry cap.</summary>
[DbContext(typeof(StreamForgeDbContext))]
[Migration("20261206200000_OwnerRetries")]
public sealed class OwnerRetries : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
ALTER TABLE videos ADD owner_retries integer NOT NULL DEFAULT 0;
ALTER TABLE videos ADD owner_retries_since timestamp with time zone;
""");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
ALTER TABLE videos DROP COLUMN owner_retries_since;
ALTER TABLE videos DROP COLUMN owner_retries;
""");
    }
}

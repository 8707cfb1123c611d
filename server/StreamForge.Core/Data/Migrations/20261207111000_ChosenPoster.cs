using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamForge.Core.Data.Migrations;

/// <summary>
/// The owner's poster choice: a per-video counter that names each chosen poster's key (poster-{n}.jpg, never reused),
/// and the state and error of the latest choice, which a worker makes.
/// </summary>
[DbContext(typeof(StreamForgeDbContext))]
[Migration("20261207111000_ChosenPoster")]
public sealed class ChosenPoster : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
ALTER TABLE videos ADD poster_number integer NOT NULL DEFAULT 0;
ALTER TABLE videos ADD poster_status character varying(16) NULL;
ALTER TABLE videos ADD poster_error character varying(2000) NULL;
""");

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("ALTER TABLE videos DROP COLUMN poster_number, DROP COLUMN poster_status, DROP COLUMN poster_error;");
}

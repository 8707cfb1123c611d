using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamForge.Core.Data.Migrations;

/// <summary>Why a processing video is still waiting (its owner's processing cap or daily allowance), shown to the owner.</summary>
[DbContext(typeof(StreamForgeDbContext))]
[Migration("20261206201000_QueuedReason")]
public sealed class QueuedReason : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("ALTER TABLE videos ADD queued_reason character varying(500) NULL;");

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("ALTER TABLE videos DROP COLUMN queued_reason;");
}

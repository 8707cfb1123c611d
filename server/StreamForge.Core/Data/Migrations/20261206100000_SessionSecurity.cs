using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamForge.Core.Data.Migrations;

/// <summary>
/// Hand-written (see Initial). Sessions checked on every request: refresh tokens name their session (an existing
/// token becomes a session of its own, so nobody is signed out by the upgrade), users get a security stamp, and
/// failed sign-ins are counted per login name for the account-level throttle.
/// </summary>
[DbContext(typeof(StreamForgeDbContext))]
[Migration("20261206100000_SessionSecurity")]
public sealed class SessionSecurity : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
ALTER TABLE users ADD security_stamp uuid NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE users ALTER COLUMN security_stamp DROP DEFAULT;
ALTER TABLE refresh_tokens ADD session_id uuid;
UPDATE refresh_tokens SET session_id = id;
ALTER TABLE refresh_tokens ALTER COLUMN session_id SET NOT NULL;
CREATE INDEX ix_refresh_tokens_session ON refresh_tokens (session_id);
CREATE TABLE login_failures (
    email character varying(254) NOT NULL,
    failures integer NOT NULL,
    last_failure_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_login_failures PRIMARY KEY (email),
    CONSTRAINT ck_login_failures_failures CHECK (failures > 0)
);
CREATE INDEX ix_login_failures_last_failure ON login_failures (last_failure_at);
""");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
DROP TABLE login_failures;
DROP INDEX ix_refresh_tokens_session;
ALTER TABLE refresh_tokens DROP COLUMN session_id;
ALTER TABLE users DROP COLUMN security_stamp;
""");
    }
}

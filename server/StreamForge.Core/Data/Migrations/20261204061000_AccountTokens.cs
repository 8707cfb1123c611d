using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamForge.Core.Data.Migrations;

/// <summary>
/// Hand-written (see Initial). Single-use mailed tokens (password reset, email confirmation) kept as hashes, and
/// when a user confirmed their address. Existing admins count as confirmed, so switching confirmation on later
/// never locks the operator out of uploading.
/// </summary>
[DbContext(typeof(StreamForgeDbContext))]
[Migration("20261204061000_AccountTokens")]
public sealed class AccountTokens : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
ALTER TABLE users ADD email_confirmed_at timestamp with time zone;
UPDATE users SET email_confirmed_at = created_at WHERE role = 'admin';
CREATE TABLE account_tokens (
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    purpose character varying(32) NOT NULL,
    token_hash character varying(64) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone,
    CONSTRAINT pk_account_tokens PRIMARY KEY (id),
    CONSTRAINT fk_account_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT ck_account_tokens_purpose CHECK (purpose IN ('password_reset', 'email_confirmation'))
);
CREATE UNIQUE INDEX ux_account_tokens_hash ON account_tokens (token_hash);
CREATE INDEX ix_account_tokens_user_purpose_created ON account_tokens (user_id, purpose, created_at);
""");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("DROP TABLE account_tokens; ALTER TABLE users DROP COLUMN email_confirmed_at;");
    }
}

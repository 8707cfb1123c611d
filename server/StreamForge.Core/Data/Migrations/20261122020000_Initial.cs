using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamForge.Core.Data.Migrations;

/// <summary>
/// Hand-written: the EF design-time package cannot be restored here. The schema test proves this
/// matches the model (compare a migrated database with one built from GenerateCreateScript).
/// </summary>
[DbContext(typeof(StreamForgeDbContext))]
[Migration("20261122020000_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
CREATE TABLE users (
    id uuid NOT NULL,
    email character varying(254) NOT NULL,
    password_hash character varying(200) NOT NULL,
    role character varying(16) NOT NULL,
    storage_used_bytes bigint NOT NULL,
    quota_bytes bigint,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_users PRIMARY KEY (id),
    CONSTRAINT ck_users_quota CHECK (quota_bytes IS NULL OR quota_bytes >= 0),
    CONSTRAINT ck_users_role CHECK (role IN ('user', 'admin')),
    CONSTRAINT ck_users_storage_used CHECK (storage_used_bytes >= 0)
);
""");

        migrationBuilder.Sql("""
CREATE TABLE refresh_tokens (
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    token_hash character varying(64) NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    replaced_by_id uuid,
    CONSTRAINT pk_refresh_tokens PRIMARY KEY (id),
    CONSTRAINT fk_refresh_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
""");

        migrationBuilder.Sql("""
CREATE TABLE videos (
    id uuid NOT NULL,
    owner_id uuid NOT NULL,
    title character varying(200) NOT NULL,
    file_name character varying(255) NOT NULL,
    content_type character varying(127) NOT NULL,
    status character varying(16) NOT NULL,
    source_key character varying(512) NOT NULL,
    size_bytes bigint NOT NULL,
    max_quality integer,
    progress integer NOT NULL,
    manifest_url character varying(2048),
    poster_url character varying(2048),
    thumbnails_vtt_url character varying(2048),
    duration_seconds double precision,
    width integer,
    height integer,
    probe_json jsonb,
    renditions_json jsonb,
    processing_attempts integer NOT NULL,
    last_error character varying(8000),
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    enqueued_at timestamp with time zone,
    ready_at timestamp with time zone,
    CONSTRAINT pk_videos PRIMARY KEY (id),
    CONSTRAINT ck_videos_max_quality CHECK (max_quality IS NULL OR max_quality IN (360, 480, 720, 1080)),
    CONSTRAINT ck_videos_progress CHECK (progress BETWEEN 0 AND 100),
    CONSTRAINT ck_videos_size CHECK (size_bytes >= 0),
    CONSTRAINT ck_videos_status CHECK (status IN ('pending_upload', 'uploading', 'processing', 'ready', 'failed')),
    CONSTRAINT fk_videos_owner FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE CASCADE
);
""");

        migrationBuilder.Sql("""
CREATE TABLE job_runs (
    id bigint GENERATED ALWAYS AS IDENTITY,
    video_id uuid NOT NULL,
    attempt integer NOT NULL,
    worker character varying(200) NOT NULL,
    enqueued_at timestamp with time zone NOT NULL,
    started_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone,
    outcome character varying(16) NOT NULL,
    error character varying(8000),
    CONSTRAINT pk_job_runs PRIMARY KEY (id),
    CONSTRAINT ck_job_runs_attempt CHECK (attempt >= 1),
    CONSTRAINT ck_job_runs_outcome CHECK (outcome IN ('running', 'succeeded', 'failed', 'retrying', 'released')),
    CONSTRAINT fk_job_runs_video FOREIGN KEY (video_id) REFERENCES videos (id) ON DELETE CASCADE
);
""");

        migrationBuilder.Sql("""
CREATE TABLE upload_sessions (
    id uuid NOT NULL,
    video_id uuid NOT NULL,
    mode character varying(16) NOT NULL,
    s3_upload_id character varying(1024),
    key character varying(512) NOT NULL,
    size bigint NOT NULL,
    part_size bigint NOT NULL,
    part_count integer NOT NULL,
    state character varying(16) NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_upload_sessions PRIMARY KEY (id),
    CONSTRAINT ck_upload_sessions_mode CHECK (mode IN ('single', 'multipart')),
    CONSTRAINT ck_upload_sessions_parts CHECK (part_count BETWEEN 1 AND 10000 AND part_size > 0 AND size > 0),
    CONSTRAINT ck_upload_sessions_state CHECK (state IN ('active', 'completed', 'aborted', 'expired')),
    CONSTRAINT fk_upload_sessions_video FOREIGN KEY (video_id) REFERENCES videos (id) ON DELETE CASCADE
);
""");

        migrationBuilder.Sql("""
CREATE TABLE upload_parts (
    session_id uuid NOT NULL,
    part_number integer NOT NULL,
    etag character varying(128),
    size bigint,
    signed_at timestamp with time zone NOT NULL,
    completed_at timestamp with time zone,
    CONSTRAINT pk_upload_parts PRIMARY KEY (session_id, part_number),
    CONSTRAINT ck_upload_parts_number CHECK (part_number BETWEEN 1 AND 10000),
    CONSTRAINT ck_upload_parts_size CHECK (size IS NULL OR size > 0),
    CONSTRAINT fk_upload_parts_session FOREIGN KEY (session_id) REFERENCES upload_sessions (id) ON DELETE CASCADE
);
""");

        migrationBuilder.Sql("""
CREATE INDEX ix_job_runs_outcome_finished ON job_runs (outcome, finished_at);
""");

        migrationBuilder.Sql("""
CREATE INDEX ix_job_runs_video_attempt ON job_runs (video_id, attempt);
""");

        migrationBuilder.Sql("""
CREATE INDEX ix_refresh_tokens_user ON refresh_tokens (user_id);
""");

        migrationBuilder.Sql("""
CREATE UNIQUE INDEX ux_refresh_tokens_hash ON refresh_tokens (token_hash);
""");

        migrationBuilder.Sql("""
CREATE INDEX ix_upload_sessions_active_expiry ON upload_sessions (expires_at) WHERE state = 'active';
""");

        migrationBuilder.Sql("""
CREATE UNIQUE INDEX ux_upload_sessions_video ON upload_sessions (video_id);
""");

        migrationBuilder.Sql("""
CREATE UNIQUE INDEX ux_users_email ON users (email);
""");

        migrationBuilder.Sql("""
CREATE INDEX ix_videos_owner_created ON videos (owner_id, created_at);
""");

        migrationBuilder.Sql("""
CREATE INDEX ix_videos_status_created ON videos (status, created_at);
""");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var table in new[] { "upload_parts", "upload_sessions", "job_runs", "refresh_tokens", "videos", "users" })
            migrationBuilder.DropTable(table);
    }
}

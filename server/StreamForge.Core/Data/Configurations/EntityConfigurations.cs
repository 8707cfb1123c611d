using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StreamForge.Core.Data.Configurations;

internal static class Sql
{
    public static string In(string column, IEnumerable<string> values) =>
        $"{column} IN ({string.Join(", ", values.Select(v => $"'{v}'"))})";
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> b)
    {
        b.ToTable("users", t =>
        {
            t.HasCheckConstraint("ck_users_role", Sql.In("role", Roles.All));
            t.HasCheckConstraint("ck_users_storage_used", "storage_used_bytes >= 0");
            t.HasCheckConstraint("ck_users_quota", "quota_bytes IS NULL OR quota_bytes >= 0");
        });
        b.HasKey(u => u.Id).HasName("pk_users");
        b.Property(u => u.Email).HasMaxLength(254).IsRequired();
        b.HasIndex(u => u.Email).IsUnique().HasDatabaseName("ux_users_email");
        b.Property(u => u.PasswordHash).HasMaxLength(200).IsRequired();
        b.Property(u => u.Role).HasMaxLength(16).IsRequired();
    }
}

internal sealed class VideoConfiguration : IEntityTypeConfiguration<Video>
{
    public void Configure(EntityTypeBuilder<Video> b)
    {
        b.ToTable("videos", t =>
        {
            t.HasCheckConstraint("ck_videos_status", Sql.In("status", Wire.All<VideoStatus>()));
            t.HasCheckConstraint("ck_videos_size", "size_bytes >= 0");
            t.HasCheckConstraint("ck_videos_progress", "progress BETWEEN 0 AND 100");
            t.HasCheckConstraint("ck_videos_max_quality", "max_quality IS NULL OR max_quality IN (360, 480, 720, 1080)");
            t.HasCheckConstraint("ck_videos_media_version", "media_version >= 0");
        });
        b.HasKey(v => v.Id).HasName("pk_videos");
        b.Property(v => v.Title).HasMaxLength(200).IsRequired();
        b.Property(v => v.FileName).HasMaxLength(255).IsRequired();
        b.Property(v => v.ContentType).HasMaxLength(127).IsRequired();
        b.Property(v => v.Status).HasMaxLength(16).IsRequired().HasConversion(s => s.ToWire(), s => Wire.Parse<VideoStatus>(s));
        b.Property(v => v.SourceKey).HasMaxLength(512).IsRequired();
        b.Property(v => v.SourceETag).HasMaxLength(128).HasColumnName("source_etag");
        b.Property(v => v.ManifestUrl).HasMaxLength(2048);
        b.Property(v => v.PosterUrl).HasMaxLength(2048);
        b.Property(v => v.ThumbnailsVttUrl).HasMaxLength(2048);
        b.Property(v => v.LastError).HasMaxLength(8000);
        b.Property(v => v.QueuedReason).HasMaxLength(500);
        b.Property(v => v.ProbeJson).HasColumnType("jsonb");
        b.Property(v => v.RenditionsJson).HasColumnType("jsonb");
        b.HasOne(v => v.Owner).WithMany(u => u.Videos).HasForeignKey(v => v.OwnerId)
            .HasConstraintName("fk_videos_owner").OnDelete(DeleteBehavior.Cascade);
        // The library lists a user's videos newest first; the admin view filters by status.
        b.HasIndex(v => new { v.OwnerId, v.CreatedAt }).HasDatabaseName("ix_videos_owner_created");
        b.HasIndex(v => new { v.Status, v.CreatedAt }).HasDatabaseName("ix_videos_status_created");
    }
}

internal sealed class UploadSessionConfiguration : IEntityTypeConfiguration<UploadSession>
{
    public void Configure(EntityTypeBuilder<UploadSession> b)
    {
        b.ToTable("upload_sessions", t =>
        {
            t.HasCheckConstraint("ck_upload_sessions_mode", Sql.In("mode", Wire.All<UploadMode>()));
            t.HasCheckConstraint("ck_upload_sessions_state", Sql.In("state", Wire.All<UploadState>()));
            t.HasCheckConstraint("ck_upload_sessions_parts", "part_count BETWEEN 1 AND 10000 AND part_size > 0 AND size > 0");
        });
        b.HasKey(s => s.Id).HasName("pk_upload_sessions");
        b.Property(s => s.Mode).HasMaxLength(16).IsRequired().HasConversion(m => m.ToWire(), m => Wire.Parse<UploadMode>(m));
        b.Property(s => s.State).HasMaxLength(16).IsRequired().HasConversion(s => s.ToWire(), s => Wire.Parse<UploadState>(s));
        b.Property(s => s.Key).HasMaxLength(512).IsRequired();
        b.Property(s => s.S3UploadId).HasMaxLength(1024).HasColumnName("s3_upload_id");
        b.HasOne(s => s.Video).WithOne(v => v.Upload).HasForeignKey<UploadSession>(s => s.VideoId)
            .HasConstraintName("fk_upload_sessions_video").OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(s => s.VideoId).IsUnique().HasDatabaseName("ux_upload_sessions_video");
        // The cleanup scans active sessions by expiry.
        b.HasIndex(s => s.ExpiresAt).HasDatabaseName("ix_upload_sessions_active_expiry").HasFilter("state = 'active'");
        b.HasMany(s => s.Parts).WithOne().HasForeignKey(p => p.SessionId)
            .HasConstraintName("fk_upload_parts_session").OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class UploadPartConfiguration : IEntityTypeConfiguration<UploadPart>
{
    public void Configure(EntityTypeBuilder<UploadPart> b)
    {
        b.ToTable("upload_parts", t =>
        {
            t.HasCheckConstraint("ck_upload_parts_number", "part_number BETWEEN 1 AND 10000");
            t.HasCheckConstraint("ck_upload_parts_size", "size IS NULL OR size > 0");
        });
        b.HasKey(p => new { p.SessionId, p.PartNumber }).HasName("pk_upload_parts");
        b.Property(p => p.ETag).HasMaxLength(128).HasColumnName("etag");
    }
}

internal sealed class RefreshTokenConfiguration : IEntityTypeConfiguration<RefreshToken>
{
    public void Configure(EntityTypeBuilder<RefreshToken> b)
    {
        b.ToTable("refresh_tokens");
        b.HasKey(t => t.Id).HasName("pk_refresh_tokens");
        b.Property(t => t.TokenHash).HasMaxLength(64).IsRequired();
        b.HasIndex(t => t.TokenHash).IsUnique().HasDatabaseName("ux_refresh_tokens_hash");
        b.HasIndex(t => t.UserId).HasDatabaseName("ix_refresh_tokens_user");
        // Every authenticated request asks whether its session is still live.
        b.HasIndex(t => t.SessionId).HasDatabaseName("ix_refresh_tokens_session");
        b.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId)
            .HasConstraintName("fk_refresh_tokens_user").OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AccountTokenConfiguration : IEntityTypeConfiguration<AccountToken>
{
    public void Configure(EntityTypeBuilder<AccountToken> b)
    {
        b.ToTable("account_tokens", t => t.HasCheckConstraint("ck_account_tokens_purpose", Sql.In("purpose", AccountTokenPurpose.All)));
        b.HasKey(t => t.Id).HasName("pk_account_tokens");
        b.Property(t => t.Purpose).HasMaxLength(32).IsRequired();
        b.Property(t => t.TokenHash).HasMaxLength(64).IsRequired();
        b.HasIndex(t => t.TokenHash).IsUnique().HasDatabaseName("ux_account_tokens_hash");
        // A new token voids the user's older ones, and the per-address mail limit counts recent ones.
        b.HasIndex(t => new { t.UserId, t.Purpose, t.CreatedAt }).HasDatabaseName("ix_account_tokens_user_purpose_created");
        b.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId)
            .HasConstraintName("fk_account_tokens_user").OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class JobRunConfiguration : IEntityTypeConfiguration<JobRun>
{
    public void Configure(EntityTypeBuilder<JobRun> b)
    {
        b.ToTable("job_runs", t =>
        {
            t.HasCheckConstraint("ck_job_runs_outcome", Sql.In("outcome", JobOutcome.All));
            t.HasCheckConstraint("ck_job_runs_attempt", "attempt >= 1");
        });
        b.HasKey(r => r.Id).HasName("pk_job_runs");
        b.Property(r => r.Id).UseIdentityAlwaysColumn();
        b.Property(r => r.Worker).HasMaxLength(200).IsRequired();
        b.Property(r => r.Outcome).HasMaxLength(16).IsRequired();
        b.Property(r => r.Error).HasMaxLength(8000);
        b.HasOne<Video>().WithMany().HasForeignKey(r => r.VideoId)
            .HasConstraintName("fk_job_runs_video").OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(r => new { r.VideoId, r.Attempt }).HasDatabaseName("ix_job_runs_video_attempt");
        // Dashboard lists and history cleanup go by outcome and finish time.
        b.HasIndex(r => new { r.Outcome, r.FinishedAt }).HasDatabaseName("ix_job_runs_outcome_finished");
    }
}

internal sealed class CaptionConfiguration : IEntityTypeConfiguration<Caption>
{
    public void Configure(EntityTypeBuilder<Caption> b)
    {
        b.ToTable("captions", t => t.HasCheckConstraint("ck_captions_cue_count", "cue_count >= 1"));
        b.HasKey(c => new { c.VideoId, c.Lang }).HasName("pk_captions");
        b.Property(c => c.Lang).HasMaxLength(35).IsRequired();
        b.Property(c => c.Label).HasMaxLength(100).IsRequired();
        b.Property(c => c.Vtt).IsRequired();
        b.HasOne<Video>().WithMany().HasForeignKey(c => c.VideoId)
            .HasConstraintName("fk_captions_video").OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class VideoDownloadConfiguration : IEntityTypeConfiguration<VideoDownload>
{
    public void Configure(EntityTypeBuilder<VideoDownload> b)
    {
        b.ToTable("video_downloads", t =>
        {
            t.HasCheckConstraint("ck_video_downloads_status", Sql.In("status", DownloadStatus.All));
            t.HasCheckConstraint("ck_video_downloads_version", "media_version >= 1");
        });
        b.HasKey(d => new { d.VideoId, d.MediaVersion, d.Rendition }).HasName("pk_video_downloads");
        b.Property(d => d.Rendition).HasMaxLength(16).IsRequired();
        b.Property(d => d.Status).HasMaxLength(16).IsRequired();
        b.Property(d => d.Error).HasMaxLength(2000);
        b.HasOne<Video>().WithMany().HasForeignKey(d => d.VideoId)
            .HasConstraintName("fk_video_downloads_video").OnDelete(DeleteBehavior.Cascade);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StreamForge.Core.Data.Configurations;

internal sealed class UploadSessionConfiguration : IEntityTypeConfiguration<UploadSession>
{
    public void Configure(EntityTypeBuilder<UploadSession> b)
    {
        b.ToTable("upload_sessions", t =>
        {
            t.HasCheckConstraint("ck_upload_sessions_mode", Sql.In("mode", Wire.All<UploadMode>()));
            t.HasCheckConstraint("ck_upload_sessions_state", Sql.In("state", Wire.All<UploadState>()));
            // An import starts with nothing received; its size grows as parts arrive.
            t.HasCheckConstraint("ck_upload_sessions_parts", "part_count BETWEEN 1 AND 10000 AND part_size > 0 AND (size > 0 OR mode = 'import')");
        });
        b.HasKey(s => s.Id).HasName("pk_upload_sessions");
        b.Property(s => s.Mode).HasMaxLength(16).IsRequired().HasConversion(m => m.ToWire(), m => Wire.Parse<UploadMode>(m));
        b.Property(s => s.State).HasMaxLength(16).IsRequired().HasConversion(s => s.ToWire(), s => Wire.Parse<UploadState>(s));
        b.Property(s => s.Key).HasMaxLength(512).IsRequired();
        b.Property(s => s.SourceUrl).HasMaxLength(2048);
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

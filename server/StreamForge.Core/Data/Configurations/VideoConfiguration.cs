using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StreamForge.Core.Data.Configurations;

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
            t.HasCheckConstraint("ck_videos_visibility", Sql.In("visibility", Wire.All<VideoVisibility>()));
        });
        b.HasKey(v => v.Id).HasName("pk_videos");
        b.Property(v => v.Title).HasMaxLength(200).IsRequired();
        b.Property(v => v.FileName).HasMaxLength(255).IsRequired();
        b.Property(v => v.ContentType).HasMaxLength(127).IsRequired();
        b.Property(v => v.Status).HasMaxLength(16).IsRequired().HasConversion(s => s.ToWire(), s => Wire.Parse<VideoStatus>(s));
        b.Property(v => v.Visibility).HasMaxLength(16).IsRequired().HasConversion(s => s.ToWire(), s => Wire.Parse<VideoVisibility>(s));
        b.Property(v => v.SourceKey).HasMaxLength(512).IsRequired();
        b.Property(v => v.SourceETag).HasMaxLength(128).HasColumnName("source_etag");
        b.Property(v => v.ManifestUrl).HasMaxLength(2048);
        b.Property(v => v.PosterUrl).HasMaxLength(2048);
        b.Property(v => v.ThumbnailsVttUrl).HasMaxLength(2048);
        b.Property(v => v.PosterStatus).HasMaxLength(16);
        b.Property(v => v.PosterError).HasMaxLength(2000);
        b.Property(v => v.LastError).HasMaxLength(8000);
        b.Property(v => v.QueuedReason).HasMaxLength(500);
        b.Property(v => v.Passthrough).HasMaxLength(255);
        b.Property(v => v.ProbeJson).HasColumnType("jsonb");
        b.Property(v => v.RenditionsJson).HasColumnType("jsonb");
        b.HasOne(v => v.Owner).WithMany(u => u.Videos).HasForeignKey(v => v.OwnerId)
            .HasConstraintName("fk_videos_owner").OnDelete(DeleteBehavior.Cascade);
        // The library lists a user's videos newest first; the admin view filters by status.
        b.HasIndex(v => new { v.OwnerId, v.CreatedAt }).HasDatabaseName("ix_videos_owner_created");
        b.HasIndex(v => new { v.Status, v.CreatedAt }).HasDatabaseName("ix_videos_status_created");
        // The anonymous list of public ready videos, newest first.
        b.HasIndex(v => new { v.Visibility, v.Status, v.CreatedAt }).HasDatabaseName("ix_videos_visibility_status_created");
    }
}

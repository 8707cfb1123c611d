using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StreamForge.Core.Data.Configurations;

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

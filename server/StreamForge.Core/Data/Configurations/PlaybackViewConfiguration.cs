using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StreamForge.Core.Data.Configurations;

internal sealed class PlaybackViewConfiguration : IEntityTypeConfiguration<PlaybackView>
{
    public void Configure(EntityTypeBuilder<PlaybackView> b)
    {
        b.ToTable("playback_views");
        b.HasKey(v => v.ViewId).HasName("pk_playback_views");
        b.Property(v => v.RenditionSeconds).HasColumnType("jsonb").IsRequired();
        // A video's QoE over a window, and the admin overview over all videos in a window.
        b.HasIndex(v => new { v.VideoId, v.ReportedAt }).HasDatabaseName("ix_playback_views_video_reported");
        b.HasIndex(v => v.ReportedAt).HasDatabaseName("ix_playback_views_reported");
        b.HasOne(v => v.Video).WithMany().HasForeignKey(v => v.VideoId)
            .HasConstraintName("fk_playback_views_video").OnDelete(DeleteBehavior.Cascade);
    }
}

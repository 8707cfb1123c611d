using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StreamForge.Core.Data.Configurations;

internal sealed class ShareLinkConfiguration : IEntityTypeConfiguration<ShareLink>
{
    public void Configure(EntityTypeBuilder<ShareLink> b)
    {
        b.ToTable("share_links");
        b.HasKey(s => s.Id).HasName("pk_share_links");
        b.Property(s => s.TokenHash).HasMaxLength(64).IsRequired();
        b.HasIndex(s => s.TokenHash).IsUnique().HasDatabaseName("ux_share_links_token_hash");
        // A video's list (newest first) and its live-link count.
        b.HasIndex(s => new { s.VideoId, s.CreatedAt }).HasDatabaseName("ix_share_links_video_created");
        b.HasOne(s => s.Video).WithMany().HasForeignKey(s => s.VideoId)
            .HasConstraintName("fk_share_links_video").OnDelete(DeleteBehavior.Cascade);
    }
}

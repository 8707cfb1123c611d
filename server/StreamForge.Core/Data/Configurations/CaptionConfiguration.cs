using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StreamForge.Core.Data.Configurations;

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

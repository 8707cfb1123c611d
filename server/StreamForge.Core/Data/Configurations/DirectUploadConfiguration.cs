using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StreamForge.Core.Data.Configurations;

internal sealed class DirectUploadConfiguration : IEntityTypeConfiguration<DirectUpload>
{
    public void Configure(EntityTypeBuilder<DirectUpload> b)
    {
        b.ToTable("direct_uploads", t =>
        {
            t.HasCheckConstraint("ck_direct_uploads_max_quality", "max_quality IS NULL OR max_quality IN (360, 480, 720, 1080)");
            t.HasCheckConstraint("ck_direct_uploads_visibility", "visibility IS NULL OR " + Sql.In("visibility", Wire.All<VideoVisibility>()));
        });
        b.HasKey(d => d.Id).HasName("pk_direct_uploads");
        b.Property(d => d.TokenHash).HasMaxLength(64).IsRequired();
        b.Property(d => d.Title).HasMaxLength(200);
        b.Property(d => d.Passthrough).HasMaxLength(255);
        b.Property(d => d.Visibility).HasMaxLength(16).HasConversion(v => v!.Value.ToWire(), v => (VideoVisibility?)Wire.Parse<VideoVisibility>(v));
        b.Property(d => d.AllowedOrigin).HasMaxLength(255);
        b.HasIndex(d => d.TokenHash).IsUnique().HasDatabaseName("ux_direct_uploads_token_hash");
        // The account's list (newest first) and its open-link count.
        b.HasIndex(d => new { d.UserId, d.CreatedAt }).HasDatabaseName("ix_direct_uploads_user_created");
        b.HasOne(d => d.User).WithMany().HasForeignKey(d => d.UserId)
            .HasConstraintName("fk_direct_uploads_user").OnDelete(DeleteBehavior.Cascade);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StreamForge.Core.Data.Configurations;

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

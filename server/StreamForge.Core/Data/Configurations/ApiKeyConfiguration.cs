using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StreamForge.Core.Data.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.ToTable("api_keys");
        b.HasKey(k => k.Id).HasName("pk_api_keys");
        b.Property(k => k.Name).HasMaxLength(100).IsRequired();
        b.Property(k => k.Scopes).HasColumnType("text[]").IsRequired();
        b.Property(k => k.Prefix).HasMaxLength(16).IsRequired();
        b.Property(k => k.Hash).HasMaxLength(64).IsRequired();
        // Every key-authenticated request looks its key up by hash.
        b.HasIndex(k => k.Hash).IsUnique().HasDatabaseName("ux_api_keys_hash");
        b.HasIndex(k => new { k.UserId, k.CreatedAt }).HasDatabaseName("ix_api_keys_user_created");
        b.HasOne(k => k.User).WithMany().HasForeignKey(k => k.UserId)
            .HasConstraintName("fk_api_keys_user").OnDelete(DeleteBehavior.Cascade);
    }
}

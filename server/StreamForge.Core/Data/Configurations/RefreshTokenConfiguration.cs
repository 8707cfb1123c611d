using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StreamForge.Core.Data.Configurations;

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

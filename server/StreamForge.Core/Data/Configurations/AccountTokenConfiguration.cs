using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StreamForge.Core.Data.Configurations;

internal sealed class AccountTokenConfiguration : IEntityTypeConfiguration<AccountToken>
{
    public void Configure(EntityTypeBuilder<AccountToken> b)
    {
        b.ToTable("account_tokens", t => t.HasCheckConstraint("ck_account_tokens_purpose", Sql.In("purpose", AccountTokenPurpose.All)));
        b.HasKey(t => t.Id).HasName("pk_account_tokens");
        b.Property(t => t.Purpose).HasMaxLength(32).IsRequired();
        b.Property(t => t.TokenHash).HasMaxLength(64).IsRequired();
        b.HasIndex(t => t.TokenHash).IsUnique().HasDatabaseName("ux_account_tokens_hash");
        // A new token voids the user's older ones, and the per-address mail limit counts recent ones.
        b.HasIndex(t => new { t.UserId, t.Purpose, t.CreatedAt }).HasDatabaseName("ix_account_tokens_user_purpose_created");
        b.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId)
            .HasConstraintName("fk_account_tokens_user").OnDelete(DeleteBehavior.Cascade);
    }
}

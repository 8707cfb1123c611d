using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StreamForge.Core.Data.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> b)
    {
        b.ToTable("users", t =>
        {
            t.HasCheckConstraint("ck_users_role", Sql.In("role", Roles.All));
            t.HasCheckConstraint("ck_users_storage_used", "storage_used_bytes >= 0");
            t.HasCheckConstraint("ck_users_quota", "quota_bytes IS NULL OR quota_bytes >= 0");
        });
        b.HasKey(u => u.Id).HasName("pk_users");
        b.Property(u => u.Email).HasMaxLength(254).IsRequired();
        b.HasIndex(u => u.Email).IsUnique().HasDatabaseName("ux_users_email");
        b.Property(u => u.PasswordHash).HasMaxLength(200).IsRequired();
        b.Property(u => u.Role).HasMaxLength(16).IsRequired();
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StreamForge.Core.Data.Configurations;

internal sealed class LoginFailureConfiguration : IEntityTypeConfiguration<LoginFailure>
{
    public void Configure(EntityTypeBuilder<LoginFailure> b)
    {
        b.ToTable("login_failures", t => t.HasCheckConstraint("ck_login_failures_failures", "failures > 0"));
        b.HasKey(f => f.Email).HasName("pk_login_failures");
        b.Property(f => f.Email).HasMaxLength(254);
        // Rows of names nobody tries any more are swept by age.
        b.HasIndex(f => f.LastFailureAt).HasDatabaseName("ix_login_failures_last_failure");
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StreamForge.Core.Data.Configurations;

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> b)
    {
        b.ToTable("webhook_endpoints");
        b.HasKey(e => e.Id).HasName("pk_webhook_endpoints");
        b.Property(e => e.Url).HasMaxLength(2048).IsRequired();
        b.Property(e => e.Events).HasColumnType("text[]").IsRequired();
        b.Property(e => e.Secret).HasMaxLength(100).IsRequired();
        b.HasOne<User>().WithMany().HasForeignKey(e => e.UserId)
            .HasConstraintName("fk_webhook_endpoints_user").OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(e => e.UserId).HasDatabaseName("ix_webhook_endpoints_user");
    }
}

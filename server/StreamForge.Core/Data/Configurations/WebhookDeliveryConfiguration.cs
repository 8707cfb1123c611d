using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StreamForge.Core.Data.Configurations;

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> b)
    {
        b.ToTable("webhook_deliveries", t => t.HasCheckConstraint("ck_webhook_deliveries_status", Sql.In("status", WebhookDeliveryStatus.All)));
        b.HasKey(d => d.Id).HasName("pk_webhook_deliveries");
        b.Property(d => d.EventType).HasMaxLength(32).IsRequired();
        b.Property(d => d.Payload).HasColumnType("jsonb").IsRequired();
        b.Property(d => d.Status).HasMaxLength(16).IsRequired();
        b.Property(d => d.LastError).HasMaxLength(2000);
        b.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(d => d.EndpointId)
            .HasConstraintName("fk_webhook_deliveries_endpoint").OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(d => new { d.EndpointId, d.CreatedAt }).HasDatabaseName("ix_webhook_deliveries_endpoint_created");
        // The dispatcher's scan: only pending rows, by due time.
        b.HasIndex(d => d.NextAttemptAt).HasDatabaseName("ix_webhook_deliveries_due").HasFilter("status = 'pending'");
    }
}

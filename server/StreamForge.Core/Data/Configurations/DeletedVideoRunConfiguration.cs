using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StreamForge.Core.Data.Configurations;

internal sealed class DeletedVideoRunConfiguration : IEntityTypeConfiguration<DeletedVideoRun>
{
    public void Configure(EntityTypeBuilder<DeletedVideoRun> b)
    {
        b.ToTable("deleted_video_runs");
        b.HasKey(r => r.Id).HasName("pk_deleted_video_runs");
        // No foreign key to users: a deleted account's rows are only trimmed by age, never looked at again.
        b.HasIndex(r => new { r.OwnerId, r.FinishedAt }).HasDatabaseName("ix_deleted_video_runs_owner_finished");
    }
}

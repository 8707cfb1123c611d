using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StreamForge.Core.Data.Configurations;

internal sealed class JobRunConfiguration : IEntityTypeConfiguration<JobRun>
{
    public void Configure(EntityTypeBuilder<JobRun> b)
    {
        b.ToTable("job_runs", t =>
        {
            t.HasCheckConstraint("ck_job_runs_outcome", Sql.In("outcome", JobOutcome.All));
            t.HasCheckConstraint("ck_job_runs_attempt", "attempt >= 1");
        });
        b.HasKey(r => r.Id).HasName("pk_job_runs");
        b.Property(r => r.Id).UseIdentityAlwaysColumn();
        b.Property(r => r.Worker).HasMaxLength(200).IsRequired();
        b.Property(r => r.Outcome).HasMaxLength(16).IsRequired();
        b.Property(r => r.Error).HasMaxLength(8000);
        b.HasOne<Video>().WithMany().HasForeignKey(r => r.VideoId)
            .HasConstraintName("fk_job_runs_video").OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(r => new { r.VideoId, r.Attempt }).HasDatabaseName("ix_job_runs_video_attempt");
        // Dashboard lists and history cleanup go by outcome and finish time.
        b.HasIndex(r => new { r.Outcome, r.FinishedAt }).HasDatabaseName("ix_job_runs_outcome_finished");
    }
}

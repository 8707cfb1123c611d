using Quartz;

namespace StreamForge.Core.Processing;

public static class QuartzSetup
{
    /// <summary>One clustered, Postgres-backed scheduler configuration for the API and every worker.</summary>
    /// <param name="servedGroups">Execution groups this node runs; empty runs none (the API only schedules).</param>
    public static void UseStreamForgeStore(this IQuartzBuilder q, string connectionString, JobsOptions options, int maxConcurrency, params string[] servedGroups)
    {
        var schedulingOnly = servedGroups.Length == 0;
        q.UseDefaultThreadPool(Math.Max(1, maxConcurrency));
        q.ConfigureScheduler(s =>
        {
            s.GenerateInstanceId = true;
            s.InstanceName = ProcessingJobs.SchedulerName;
            // Only a node that runs jobs needs to look for due triggers every second; for a scheduling-only node
            // (the API) each look is a locked round trip to PostgreSQL that can find nothing (measured: ~45 ms of
            // API CPU per idle second). Its own schedule calls still wake it at once.
            s.IdleWaitTime = schedulingOnly ? SchedulingOnlyIdleWait : options.IdleWaitTime;
            // A node serving only a group nobody schedules into runs nothing, yet still provisions the
            // schema and takes part in cluster recovery.
            foreach (var g in schedulingOnly ? [NoExecutionGroup] : servedGroups) s.ServedExecutionGroups.Add(g);
        });
        q.UsePersistentStore(s =>
        {
            s.UsePostgres(connectionString);
            s.UseSystemTextJsonSerializer();
            s.UseClustering(c => c.CheckinInterval = options.ClusterCheckinInterval);
            s.ProvisionSchema();
        });
    }

    public const string NoExecutionGroup = "none";

    private static readonly TimeSpan SchedulingOnlyIdleWait = TimeSpan.FromMinutes(5);
}

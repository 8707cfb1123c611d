using Npgsql;
using Quartz;

namespace StreamForge.Core.Processing;

public sealed class QuartzProcessingQueue(ISchedulerFactory schedulers, NpgsqlDataSource dataSource) : IProcessingQueue
{
    private const int MaxRemoveAttempts = 5;

    public async Task EnqueueAsync(Guid videoId, TimeSpan delay = default, CancellationToken ct = default)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var key = ProcessingJobs.TranscodeKey(videoId);
        var job = JobBuilder.Create()
            .OfType(new JobType(ProcessingJobs.TranscodeJobType))
            .WithIdentity(key)
            .UsingJobData(ProcessingJobs.VideoIdKey, videoId.ToString("D"))
            .UsingJobData(ProcessingJobs.EnqueuedAtKey, DateTimeOffset.UtcNow.ToString("O"))
            .RequestRecovery()
            .StoreDurably(false)
            .Build();
        var trigger = TriggerBuilder.Create()
            .ForJob(key)
            .WithIdentity($"{key.Name}-{Guid.NewGuid():N}", ProcessingJobs.TranscodeGroup)
            .StartAt(DateTimeOffset.UtcNow.Add(delay))
            .WithExecutionGroup(ProcessingJobs.TranscodeGroup)
            .Build();
        await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, ct);
        await WakeWorkersAsync(ct);
    }

    public async Task EnqueueRemuxAsync(Guid videoId, int version, string rendition, CancellationToken ct = default)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var key = ProcessingJobs.RemuxKey(videoId, version, rendition);
        var job = JobBuilder.Create()
            .OfType(new JobType(ProcessingJobs.RemuxJobType))
            .WithIdentity(key)
            .UsingJobData(ProcessingJobs.VideoIdKey, videoId.ToString("D"))
            .UsingJobData(ProcessingJobs.MediaVersionKey, version.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .UsingJobData(ProcessingJobs.RenditionKey, rendition)
            .RequestRecovery()
            .StoreDurably(false)
            .Build();
        var trigger = TriggerBuilder.Create()
            .ForJob(key)
            .WithIdentity($"{key.Name}-{Guid.NewGuid():N}", ProcessingJobs.RemuxGroup)
            .StartNow()
            .WithExecutionGroup(ProcessingJobs.RemuxGroup)
            .Build();
        await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, ct);
        await WakeWorkersAsync(ct);
    }

    public async Task EnqueuePosterAsync(Guid videoId, int version, int number, string source, CancellationToken ct = default)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var key = ProcessingJobs.PosterKey(videoId, number);
        var job = JobBuilder.Create()
            .OfType(new JobType(ProcessingJobs.PosterJobType))
            .WithIdentity(key)
            .UsingJobData(ProcessingJobs.VideoIdKey, videoId.ToString("D"))
            .UsingJobData(ProcessingJobs.MediaVersionKey, version.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .UsingJobData(ProcessingJobs.PosterNumberKey, number.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .UsingJobData(ProcessingJobs.PosterSourceKey, source)
            .RequestRecovery()
            .StoreDurably(false)
            .Build();
        var trigger = TriggerBuilder.Create()
            .ForJob(key)
            .WithIdentity($"{key.Name}-{Guid.NewGuid():N}", ProcessingJobs.RemuxGroup)
            .StartNow()
            .WithExecutionGroup(ProcessingJobs.RemuxGroup)
            .Build();
        await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, ct);
        await WakeWorkersAsync(ct);
    }

    public async Task EnqueueImportAsync(Guid videoId, CancellationToken ct = default)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var key = ProcessingJobs.ImportKey(videoId);
        var job = JobBuilder.Create()
            .OfType(new JobType(ProcessingJobs.ImportJobType))
            .WithIdentity(key)
            .UsingJobData(ProcessingJobs.VideoIdKey, videoId.ToString("D"))
            // A worker that dies mid-import leaves the job to another, which starts the fetch over.
            .RequestRecovery()
            .StoreDurably(false)
            .Build();
        var trigger = TriggerBuilder.Create()
            .ForJob(key)
            .WithIdentity($"{key.Name}-{Guid.NewGuid():N}", ProcessingJobs.ImportGroup)
            .StartNow()
            .WithExecutionGroup(ProcessingJobs.ImportGroup)
            .Build();
        await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, ct);
        await WakeWorkersAsync(ct);
    }

    public async Task<bool> RemoveAsync(Guid videoId, CancellationToken ct = default)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var key = ProcessingJobs.TranscodeKey(videoId);
        bool removed;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                removed = await scheduler.DeleteJob(key, ct);
                break;
            }
            // DeleteJob lists the job's triggers, then unschedules each, and throws when one is gone by then: a worker
            // re-enqueuing a waiting video adds a trigger and its fired one is deleted when that run ends. Listing
            // again sees the triggers as they are now; the caller (a cancel or delete) must not fail with a 500.
            catch (SchedulerException) when (attempt < MaxRemoveAttempts && !ct.IsCancellationRequested) { }
        }
        // An import waiting for a worker goes too (the stop below reaches one being fetched).
        try { removed |= await scheduler.DeleteJob(ProcessingJobs.ImportKey(videoId), ct); }
        catch (SchedulerException) { /* it started meanwhile: the stop reaches it, and a later run finds the video gone */ }
        await using (var cmd = dataSource.CreateCommand("SELECT pg_notify(@channel, @payload)"))
        {
            cmd.Parameters.AddWithValue("channel", ProcessingJobs.StopChannel);
            cmd.Parameters.AddWithValue("payload", videoId.ToString("D"));
            await cmd.ExecuteNonQueryAsync(ct);
        }
        return removed;
    }

    /// <summary>Workers poll Quartz once a second; a NOTIFY lets an idle one look at once.</summary>
    private async Task WakeWorkersAsync(CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"NOTIFY {ProcessingJobs.WakeChannel}");
        await cmd.ExecuteNonQueryAsync(ct);
    }
}

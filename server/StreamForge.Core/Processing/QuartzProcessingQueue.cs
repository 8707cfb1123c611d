using Npgsql;
using Quartz;

namespace StreamForge.Core.Processing;

public sealed class QuartzProcessingQueue(ISchedulerFactory schedulers, NpgsqlDataSource dataSource) : IProcessingQueue
{
    private const int MaxRemoveAttempts = 5;

    public Task EnqueueAsync(Guid videoId, TimeSpan delay = default, CancellationToken ct = default) =>
        ScheduleAsync(ProcessingJobs.TranscodeKey(videoId), ProcessingJobs.TranscodeJobType, ProcessingJobs.TranscodeGroup, DateTimeOffset.UtcNow.Add(delay), ct,
            (ProcessingJobs.VideoIdKey, videoId.ToString("D")),
            (ProcessingJobs.EnqueuedAtKey, DateTimeOffset.UtcNow.ToString("O")));

    public Task EnqueueRemuxAsync(Guid videoId, int version, string rendition, CancellationToken ct = default) =>
        ScheduleAsync(ProcessingJobs.RemuxKey(videoId, version, rendition), ProcessingJobs.RemuxJobType, ProcessingJobs.RemuxGroup, DateTimeOffset.UtcNow, ct,
            (ProcessingJobs.VideoIdKey, videoId.ToString("D")),
            (ProcessingJobs.MediaVersionKey, Invariant(version)),
            (ProcessingJobs.RenditionKey, rendition));

    public Task EnqueuePosterAsync(Guid videoId, int version, int number, string source, CancellationToken ct = default) =>
        ScheduleAsync(ProcessingJobs.PosterKey(videoId, number), ProcessingJobs.PosterJobType, ProcessingJobs.RemuxGroup, DateTimeOffset.UtcNow, ct,
            (ProcessingJobs.VideoIdKey, videoId.ToString("D")),
            (ProcessingJobs.MediaVersionKey, Invariant(version)),
            (ProcessingJobs.PosterNumberKey, Invariant(number)),
            (ProcessingJobs.PosterSourceKey, source));

    public Task EnqueueMediaMoveAsync(Guid videoId, TimeSpan delay = default, CancellationToken ct = default) =>
        ScheduleAsync(ProcessingJobs.MediaMoveKey(videoId), ProcessingJobs.MediaMoveJobType, ProcessingJobs.RemuxGroup, DateTimeOffset.UtcNow.Add(delay), ct,
            (ProcessingJobs.VideoIdKey, videoId.ToString("D")));

    // A worker that dies mid-import leaves the job to another, which starts the fetch over (recovery, as for all).
    public Task EnqueueImportAsync(Guid videoId, CancellationToken ct = default) =>
        ScheduleAsync(ProcessingJobs.ImportKey(videoId), ProcessingJobs.ImportJobType, ProcessingJobs.ImportGroup, DateTimeOffset.UtcNow, ct,
            (ProcessingJobs.VideoIdKey, videoId.ToString("D")));

    /// <summary>
    /// One job under <paramref name="key"/> (replacing a waiting one), recoverable by another node if its runner dies,
    /// fired at <paramref name="startAt"/> in <paramref name="group"/>; idle workers are woken at once.
    /// </summary>
    private async Task ScheduleAsync(JobKey key, string jobType, string group, DateTimeOffset startAt, CancellationToken ct, params (string Key, string Value)[] data)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var builder = JobBuilder.Create().OfType(new JobType(jobType)).WithIdentity(key);
        foreach (var (name, value) in data) builder = builder.UsingJobData(name, value);
        var job = builder.RequestRecovery().StoreDurably(false).Build();
        var trigger = TriggerBuilder.Create()
            .ForJob(key)
            .WithIdentity($"{key.Name}-{Guid.NewGuid():N}", group)
            .StartAt(startAt)
            .WithExecutionGroup(group)
            .Build();
        await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, ct);
        await WakeWorkersAsync(ct);
    }

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

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

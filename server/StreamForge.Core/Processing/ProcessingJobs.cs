using Quartz;

namespace StreamForge.Core.Processing;

/// <summary>Names shared by the API (which schedules) and the worker (which runs).</summary>
public static class ProcessingJobs
{
    public const string TranscodeGroup = "transcode";
    public const string MaintenanceGroup = "maintenance";
    public const string SchedulerName = "StreamForge";
    public const string VideoIdKey = "videoId";
    public const string EnqueuedAtKey = "enqueuedAt";
    /// <summary>Resolved by name so the API need not load the worker's assembly.</summary>
    public const string TranscodeJobType = "StreamForge.Worker.Processing.TranscodeJob, StreamForge.Worker";
    public const string WakeChannel = "job_wakeup";

    public static JobKey TranscodeKey(Guid videoId) => new(videoId.ToString("D"), TranscodeGroup);
}

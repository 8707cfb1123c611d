using Quartz;

namespace StreamForge.Core.Processing;

/// <summary>Names shared by the API (which schedules) and the worker (which runs).</summary>
public static class ProcessingJobs
{
    public const string TranscodeGroup = "transcode";
    public const string MaintenanceGroup = "maintenance";
    /// <summary>Download remuxes: their own group, so the transcode queue's figures (and autoscaling) do not count them.</summary>
    public const string RemuxGroup = "remux";
    /// <summary>Imports from a URL: their own group and threads, since they wait on the network while transcodes use the CPU.</summary>
    public const string ImportGroup = "import";
    public const string ImportJobType = "StreamForge.Worker.Imports.UrlImportJob, StreamForge.Worker";
    public const string MediaVersionKey = "mediaVersion";
    public const string RenditionKey = "rendition";
    public const string RemuxJobType = "StreamForge.Worker.Downloads.RemuxJob, StreamForge.Worker";
    /// <summary>A chosen poster is made by a worker (the API never runs ffmpeg); it runs on the remux threads, being as short.</summary>
    public const string PosterJobType = "StreamForge.Worker.Posters.PosterJob, StreamForge.Worker";
    public const string PosterNumberKey = "posterNumber";
    /// <summary>Moves a video's media between media/ and private/ when its visibility changed; short, on the remux threads.</summary>
    public const string MediaMoveJobType = "StreamForge.Worker.Visibility.MediaMoveJob, StreamForge.Worker";
    /// <summary>"frame:{seconds}" (a frame of the highest rung) or "image" (the upload under StorageKeys.PosterUpload).</summary>
    public const string PosterSourceKey = "posterSource";
    public const string SchedulerName = "StreamForge";
    public const string VideoIdKey = "videoId";
    public const string EnqueuedAtKey = "enqueuedAt";
    /// <summary>Resolved by name so the API need not load the worker's assembly.</summary>
    public const string TranscodeJobType = "StreamForge.Worker.Processing.TranscodeJob, StreamForge.Worker";
    public const string WakeChannel = "job_wakeup";
    /// <summary>Payload: a video id whose running transcode must stop (cancelled or deleted); every worker listens.</summary>
    public const string StopChannel = "job_stop";

    public static JobKey TranscodeKey(Guid videoId) => new(videoId.ToString("D"), TranscodeGroup);

    public static JobKey ImportKey(Guid videoId) => new(videoId.ToString("D"), ImportGroup);

    public static JobKey PosterKey(Guid videoId, int number) =>
        new(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{videoId:D}-poster-{number}"), RemuxGroup);

    public static JobKey MediaMoveKey(Guid videoId) => new($"{videoId:D}-move", RemuxGroup);

    public static JobKey RemuxKey(Guid videoId, int version, string rendition) =>
        new(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{videoId:D}-v{version}-{rendition}"), RemuxGroup);
}

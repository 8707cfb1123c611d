namespace StreamForge.Worker;

public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>Transcodes this process runs at once; 0 means one per two cores.</summary>
    public int MaxConcurrentJobs { get; set; }
    /// <summary>Where sources are downloaded and ffmpeg writes; one folder per job, always removed.</summary>
    public string TempDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "streamforge-worker");
    /// <summary>Free space a job needs in <see cref="TempDirectory"/> before it downloads, as a multiple of the source's size (source + renditions + headroom).</summary>
    public double TempSpaceFactor { get; set; } = 3;
    /// <summary>Most this worker's jobs may hold in <see cref="TempDirectory"/> together (bytes); 0 = only the filesystem's free space limits them.</summary>
    public long TempSpaceLimitBytes { get; set; }
    public bool DeleteSourceAfterSuccess { get; set; }
    /// <summary>How long a stopping worker lets a running transcode finish before killing it and releasing the job.</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(30);

    public int EffectiveConcurrency => MaxConcurrentJobs > 0 ? MaxConcurrentJobs : Math.Max(1, Environment.ProcessorCount / 2);
}

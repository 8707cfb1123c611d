using System.Diagnostics.Metrics;

namespace StreamForge.Core.Observability;

/// <summary>
/// The one set of instruments the API and the worker record into. Exported in Prometheus text format under
/// <c>streamforge_*</c> names (counters get <c>_total</c>, second-valued instruments <c>_seconds</c>).
/// </summary>
public sealed class StreamForgeMetrics : IDisposable
{
    public const string MeterName = "StreamForge";

    private readonly Meter _meter;
    private readonly Counter<long> _uploadsCreated, _uploadsCompleted, _uploadsFailed, _bytesUploaded, _partUrlsSigned;
    private readonly Counter<long> _jobsStarted, _jobsSucceeded, _jobsFailed, _jobsRetried, _ffmpegExits;
    private readonly Histogram<double> _processingSeconds, _realtimeFactor, _httpDuration, _playbackStartup;
    private readonly Counter<long> _playbackViews;
    private int _busyJobs;
    private int _jobSlots;

    public StreamForgeMetrics(QueueStats? queue = null)
    {
        _meter = new Meter(MeterName);
        _uploadsCreated = _meter.CreateCounter<long>("streamforge_uploads_created", description: "Upload sessions started.");
        _uploadsCompleted = _meter.CreateCounter<long>("streamforge_uploads_completed", description: "Uploads completed and queued for processing.");
        _uploadsFailed = _meter.CreateCounter<long>("streamforge_uploads_failed", description: "Completions refused (size, quota, missing object) and aborts.");
        _bytesUploaded = _meter.CreateCounter<long>("streamforge_uploaded", unit: "bytes", description: "Bytes of completed uploads.");
        _partUrlsSigned = _meter.CreateCounter<long>("streamforge_part_urls_signed", description: "Presigned part URLs handed out.");
        _jobsStarted = _meter.CreateCounter<long>("streamforge_jobs_started", description: "Transcode attempts started.");
        _jobsSucceeded = _meter.CreateCounter<long>("streamforge_jobs_succeeded", description: "Transcodes that made a video ready.");
        _jobsFailed = _meter.CreateCounter<long>("streamforge_jobs_failed", description: "Transcodes that failed for good.");
        _jobsRetried = _meter.CreateCounter<long>("streamforge_jobs_retried", description: "Transcode attempts that failed and were scheduled again.");
        _ffmpegExits = _meter.CreateCounter<long>("streamforge_ffmpeg_exits", description: "ffmpeg runs by exit code.");
        _processingSeconds = _meter.CreateHistogram<double>("streamforge_processing", unit: "s", description: "Wall time of a successful transcode, by rung count.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600] });
        _realtimeFactor = _meter.CreateHistogram<double>("streamforge_realtime_factor", description: "Media seconds processed per wall second, by rung count.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.25, 0.5, 1, 2, 4, 8, 16, 32] });
        _httpDuration = _meter.CreateHistogram<double>("streamforge_http_request_duration", unit: "s", description: "API request duration by route and status.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _playbackViews = _meter.CreateCounter<long>("streamforge_playback_views", description: "Player views that sent a first QoE report.");
        _playbackStartup = _meter.CreateHistogram<double>("streamforge_playback_startup", unit: "s", description: "Player startup time (load request to first frame), once per view.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.25, 0.5, 1, 2, 3, 5, 10, 20, 60] });
        _meter.CreateObservableGauge("streamforge_worker_busy_ratio", () => _jobSlots == 0 ? 0 : (double)Volatile.Read(ref _busyJobs) / _jobSlots,
            description: "Share of this worker's job slots running a transcode.");
        if (queue is not null)
        {
            _meter.CreateObservableGauge("streamforge_queue_depth", () => (long)queue.Current().Waiting,
                description: "Transcode jobs waiting to run (Quartz triggers not yet acquired).");
            _meter.CreateObservableGauge("streamforge_queue_oldest_wait", () => queue.Current().OldestWaitSeconds,
                unit: "s", description: "How long the longest-waiting transcode has been due.");
        }
    }

    public void UploadCreated() => _uploadsCreated.Add(1);
    public void UploadCompleted(long bytes) { _uploadsCompleted.Add(1); _bytesUploaded.Add(bytes); }
    public void UploadFailed(string reason) => _uploadsFailed.Add(1, new KeyValuePair<string, object?>("reason", reason));
    public void PartUrlsSigned(int count) => _partUrlsSigned.Add(count);

    /// <summary>Declares how many transcodes this process may run at once (the busy ratio's denominator).</summary>
    public void SetJobSlots(int slots) => _jobSlots = slots;

    /// <summary>Counts a started attempt; dispose the result when it ends to free its busy slot.</summary>
    public IDisposable JobStarted()
    {
        _jobsStarted.Add(1);
        Interlocked.Increment(ref _busyJobs);
        return new Slot(this);
    }

    public void JobSucceeded(int rungs, double mediaSeconds, double wallSeconds)
    {
        _jobsSucceeded.Add(1);
        var tag = new KeyValuePair<string, object?>("rungs", rungs);
        _processingSeconds.Record(wallSeconds, tag);
        if (wallSeconds > 0 && mediaSeconds > 0) _realtimeFactor.Record(mediaSeconds / wallSeconds, tag);
    }

    public void JobFailed(bool willRetry)
    {
        if (willRetry) _jobsRetried.Add(1);
        else _jobsFailed.Add(1);
    }

    /// <summary>Counts a finished attempt by the outcome the job history recorded ("succeeded" is counted by <see cref="JobSucceeded"/>).</summary>
    public void JobFinished(string outcome, string? error)
    {
        if (outcome == "retrying") JobFailed(willRetry: true);
        else if (outcome == "failed") JobFailed(willRetry: false);
        if (error is not null && System.Text.RegularExpressions.Regex.Match(error, @"ffmpeg \(.*?\(exit code (-?\d+)\)") is { Success: true } m)
            FfmpegExited(int.Parse(m.Groups[1].Value));
    }

    public void FfmpegExited(int exitCode) => _ffmpegExits.Add(1, new KeyValuePair<string, object?>("code", exitCode));

    public void PlaybackViewStarted() => _playbackViews.Add(1);
    public void PlaybackStartup(double seconds) => _playbackStartup.Record(seconds);

    /// <summary>
    /// The rebuffer ratio is a gauge read from the stored views: reports are cumulative and replace each other, so
    /// only the stored latest figures add up (a histogram of per-report ratios would count each view many times).
    /// </summary>
    public void ObservePlaybackRebufferRatio(Func<double> last24Hours) =>
        _meter.CreateObservableGauge("streamforge_playback_rebuffer_ratio", last24Hours,
            description: "Rebuffer seconds over watch seconds of the views reported in the last 24 hours.");

    public void HttpRequest(string route, string method, int status, double seconds) =>
        _httpDuration.Record(seconds, new("route", route), new("method", method), new("status", status));

    public void Dispose() => _meter.Dispose();

    private sealed class Slot(StreamForgeMetrics owner) : IDisposable
    {
        private int _done;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) Interlocked.Decrement(ref owner._busyJobs);
        }
    }
}

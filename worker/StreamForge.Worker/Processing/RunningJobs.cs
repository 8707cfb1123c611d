using System.Collections.Concurrent;

namespace StreamForge.Worker.Processing;

/// <summary>
/// The transcodes this worker process is running, by video, so a cancel or delete made through any API node can
/// stop the one that holds the video: <see cref="JobStopListener"/> hears the API's NOTIFY and calls
/// <see cref="Stop"/>, which cancels the run's token and so kills its ffmpeg.
/// </summary>
public sealed class RunningJobs
{
    private readonly ConcurrentDictionary<Guid, RunningJob> _runs = new();

    /// <summary>Tracks a run; its <see cref="RunningJob.Token"/> ends on <paramref name="shutdown"/> or on a stop.</summary>
    public RunningJob Register(Guid videoId, CancellationToken shutdown)
    {
        var run = new RunningJob(this, videoId, shutdown);
        _runs[videoId] = run;
        return run;
    }

    /// <summary>Stops the run of this video if this worker holds it; true when it did.</summary>
    public bool Stop(Guid videoId)
    {
        if (!_runs.TryGetValue(videoId, out var run)) return false;
        run.Stop();
        return true;
    }

    internal void Remove(RunningJob run) => _runs.TryRemove(new KeyValuePair<Guid, RunningJob>(run.VideoId, run));
}

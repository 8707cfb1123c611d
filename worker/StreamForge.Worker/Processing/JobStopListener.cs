using Npgsql;
using StreamForge.Core.Processing;

namespace StreamForge.Worker.Processing;

/// <summary>
/// Hears <see cref="ProcessingJobs.StopChannel"/> (the API NOTIFYs a video id when it cancels or deletes a video)
/// and stops this worker's run of that video at once. A notification missed while the connection was down is
/// covered by the progress tick, which finds the video no longer processing.
/// </summary>
public sealed class JobStopListener(NpgsqlDataSource dataSource, RunningJobs runs, ILogger<JobStopListener> log)
    : NotificationListener(dataSource, log)
{
    protected override string Channel => ProcessingJobs.StopChannel;
    protected override string GapCoveredBy => "the progress tick";

    protected override void OnNotification(string payload)
    {
        if (Guid.TryParse(payload, out var videoId) && runs.Stop(videoId))
            log.LogInformation("Stopping the run of video {VideoId}: it was cancelled or deleted", videoId);
    }
}

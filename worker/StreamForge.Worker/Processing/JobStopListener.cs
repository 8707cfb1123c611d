using Npgsql;
using StreamForge.Core.Processing;

namespace StreamForge.Worker.Processing;

/// <summary>
/// Hears <see cref="ProcessingJobs.StopChannel"/> (the API NOTIFYs a video id when it cancels or deletes a video)
/// and stops this worker's run of that video at once. A notification missed while the connection was down is
/// covered by the progress tick, which finds the video no longer processing.
/// </summary>
public sealed class JobStopListener(NpgsqlDataSource dataSource, RunningJobs runs, ILogger<JobStopListener> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var conn = await dataSource.OpenConnectionAsync(stoppingToken);
                conn.Notification += (_, e) => OnStop(e.Payload);
                await using (var cmd = new NpgsqlCommand($"LISTEN {ProcessingJobs.StopChannel}", conn))
                    await cmd.ExecuteNonQueryAsync(stoppingToken);
                while (!stoppingToken.IsCancellationRequested) await conn.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning(e, "Job stop listener lost its connection; the progress tick covers the gap");
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken).ContinueWith(_ => { });
            }
        }
    }

    private void OnStop(string payload)
    {
        if (Guid.TryParse(payload, out var videoId) && runs.Stop(videoId))
            log.LogInformation("Stopping the run of video {VideoId}: it was cancelled or deleted", videoId);
    }
}

using Microsoft.Extensions.Options;
using Quartz;

namespace StreamForge.Worker.Processing;

/// <summary>
/// Stopping a worker: it stops taking jobs at once, gives running transcodes
/// <see cref="WorkerOptions.ShutdownGrace"/>, then cancels them (ffmpeg is killed) so they release their
/// jobs. It stops before Quartz does (registered after it), so a released job can still be rescheduled.
/// </summary>
public sealed class WorkerShutdown(ISchedulerFactory schedulers, IOptions<WorkerOptions> options, ILogger<WorkerShutdown> log) : IHostedService
{
    private readonly CancellationTokenSource _kill = new();
    private int _running;

    public CancellationToken Killing => _kill.Token;

    public IDisposable Track()
    {
        Interlocked.Increment(ref _running);
        return new Release(this);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(CancellationToken.None);
        await scheduler.Standby(CancellationToken.None);
        if (Volatile.Read(ref _running) == 0) return;
        log.LogInformation("Stopping: {Running} transcode(s) running, waiting up to {Grace}", _running, options.Value.ShutdownGrace);
        if (!await WaitForIdleAsync(options.Value.ShutdownGrace))
        {
            log.LogWarning("Grace period over: cancelling running transcodes and releasing their jobs");
            await _kill.CancelAsync();
            await WaitForIdleAsync(TimeSpan.FromSeconds(15));
        }
    }

    private async Task<bool> WaitForIdleAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Volatile.Read(ref _running) > 0)
        {
            if (DateTime.UtcNow >= deadline) return false;
            await Task.Delay(50);
        }
        return true;
    }

    private sealed class Release(WorkerShutdown owner) : IDisposable
    {
        private int _done;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) Interlocked.Decrement(ref owner._running);
        }
    }
}

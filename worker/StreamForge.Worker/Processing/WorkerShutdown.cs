using Microsoft.Extensions.Options;

namespace StreamForge.Worker.Processing;

/// <summary>
/// Stopping a worker: it stops taking jobs at once, gives running transcodes <see cref="WorkerOptions.ShutdownGrace"/>,
/// then cancels them (ffmpeg is killed) and their jobs are released to run elsewhere.
/// </summary>
public sealed class WorkerShutdown(IHostApplicationLifetime lifetime, IOptions<WorkerOptions> options) : IHostedService
{
    private readonly CancellationTokenSource _kill = new();

    public CancellationToken Killing => _kill.Token;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(() => _kill.CancelAfter(options.Value.ShutdownGrace));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

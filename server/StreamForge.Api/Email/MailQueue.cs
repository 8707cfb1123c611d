using System.Threading.Channels;

namespace StreamForge.Api.Email;

/// <summary>
/// Mail work runs after the response: a request that leads to a mail answers as fast as one that does not (an
/// unknown address must not be told apart by timing), and a slow SMTP relay never holds a request. Work lives in
/// memory, so a mail whose work had not run when the process stopped is lost; the user asks again.
/// </summary>
public sealed class MailQueue(IServiceScopeFactory scopes, ILogger<MailQueue> log) : BackgroundService
{
    private readonly Channel<Func<IServiceProvider, CancellationToken, Task>> _work =
        Channel.CreateBounded<Func<IServiceProvider, CancellationToken, Task>>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Queues work that gets its own DI scope; false when the queue is full (the work is dropped).</summary>
    public bool Enqueue(Func<IServiceProvider, CancellationToken, Task> work)
    {
        var queued = _work.Writer.TryWrite(work);
        if (!queued) log.LogError("The mail queue is full; a mail was dropped.");
        return queued;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var work in _work.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await work(scope.ServiceProvider, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                log.LogError(e, "Mail work failed; the user can ask again.");
            }
        }
    }
}

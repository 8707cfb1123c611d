namespace StreamForge.Worker.Processing;

/// <summary>One run in <see cref="RunningJobs"/>: a token that ends on shutdown or on a stop, and which of the two it was.</summary>
public sealed class RunningJob : IDisposable
{
    private readonly RunningJobs _owner;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _linked;

    internal RunningJob(RunningJobs owner, Guid videoId, CancellationToken shutdown)
    {
        _owner = owner;
        VideoId = videoId;
        _linked = CancellationTokenSource.CreateLinkedTokenSource(shutdown, _stop.Token);
    }

    public Guid VideoId { get; }

    public CancellationToken Token => _linked.Token;

    /// <summary>The video was cancelled or deleted: the run is abandoned, not released to run again.</summary>
    public bool Stopped => _stop.IsCancellationRequested;

    public void Stop()
    {
        try { _stop.Cancel(); }
        catch (ObjectDisposedException) { /* the run ended meanwhile */ }
    }

    public void Dispose()
    {
        _owner.Remove(this);
        _linked.Dispose();
        _stop.Dispose();
    }
}

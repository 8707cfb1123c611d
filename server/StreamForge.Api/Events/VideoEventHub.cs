using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Npgsql;
using StreamForge.Core.Events;

namespace StreamForge.Api.Events;

/// <summary>
/// LISTENs on the Postgres event channel (one connection per API node) and fans events out to the
/// SSE connections of this node. Reconnects with backoff when the database connection drops.
/// </summary>
public sealed class VideoEventHub(NpgsqlDataSource dataSource, ILogger<VideoEventHub> log) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, Subscription> _subscriptions = new();

    public sealed class Subscription(Func<VideoEvent, bool> filter) : IDisposable
    {
        internal Action? OnDispose;
        public Channel<VideoEvent> Channel { get; } = System.Threading.Channels.Channel.CreateBounded<VideoEvent>(
            new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        internal bool Wants(VideoEvent e) => filter(e);
        public void Dispose() => OnDispose?.Invoke();
    }

    public Subscription Subscribe(Func<VideoEvent, bool> filter)
    {
        var id = Guid.NewGuid();
        var sub = new Subscription(filter);
        sub.OnDispose = () => { _subscriptions.TryRemove(id, out _); sub.Channel.Writer.TryComplete(); };
        _subscriptions[id] = sub;
        return sub;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var conn = await dataSource.OpenConnectionAsync(stoppingToken);
                conn.Notification += (_, n) => Dispatch(n.Payload);
                await using (var cmd = new NpgsqlCommand($"LISTEN {VideoEvent.Channel}", conn))
                    await cmd.ExecuteNonQueryAsync(stoppingToken);
                delay = TimeSpan.FromMilliseconds(250);
                while (!stoppingToken.IsCancellationRequested) await conn.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning(e, "Event listener lost its connection; reconnecting in {Delay}", delay);
                await Task.Delay(delay, stoppingToken).ContinueWith(_ => { });
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    private void Dispatch(string payload)
    {
        VideoEvent? e;
        try { e = JsonSerializer.Deserialize<VideoEvent>(payload, PostgresVideoEventPublisher.Json); }
        catch (JsonException) { log.LogWarning("Ignoring malformed event payload {Payload}", payload); return; }
        if (e is null) return;
        foreach (var sub in _subscriptions.Values)
            if (sub.Wants(e)) sub.Channel.Writer.TryWrite(e);
    }
}

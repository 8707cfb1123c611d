using System.Collections.Concurrent;

namespace StreamForge.Api.Events;

/// <summary>Counts the open event streams of each user on this node.</summary>
public sealed class EventStreamLimiter
{
    private readonly ConcurrentDictionary<Guid, int> _open = new();

    /// <summary>A slot for one more stream of the user, or null when the user already holds <paramref name="max"/>.</summary>
    public IDisposable? TryEnter(Guid userId, int max)
    {
        while (true)
        {
            var current = _open.GetOrAdd(userId, 0);
            if (current >= max) return null;
            if (_open.TryUpdate(userId, current + 1, current)) return new Slot(this, userId);
        }
    }

    public int OpenStreams(Guid userId) => _open.TryGetValue(userId, out var n) ? n : 0;

    private void Leave(Guid userId)
    {
        while (true)
        {
            var current = _open.GetOrAdd(userId, 0);
            if (current <= 1)
            {
                // Remove only if nobody entered meanwhile, so idle users leave no entries behind.
                if (_open.TryRemove(KeyValuePair.Create(userId, current))) return;
            }
            else if (_open.TryUpdate(userId, current - 1, current)) return;
        }
    }

    private sealed class Slot(EventStreamLimiter owner, Guid userId) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) owner.Leave(userId);
        }
    }
}

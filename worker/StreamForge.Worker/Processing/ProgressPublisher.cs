using Microsoft.EntityFrameworkCore;
using StreamForge.Core.Data;
using StreamForge.Core.Events;

namespace StreamForge.Worker.Processing;

/// <summary>
/// Saves and announces a video's percentage, at most once a second and only when it moved, so a
/// long encode does not flood the database or the browsers. A tick that finds the video no longer processing
/// (cancelled or deleted, its stop notification missed) calls <paramref name="onGone"/>.
/// </summary>
public sealed class ProgressPublisher(IServiceScopeFactory scopes, IVideoEventPublisher events, Video video, TimeProvider clock, Action? onGone = null)
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);
    private readonly object _gate = new();
    private int _last = -1;
    private DateTimeOffset _lastAt = DateTimeOffset.MinValue;
    private Task _pending = Task.CompletedTask;

    public void Report(double percent)
    {
        var value = (int)Math.Clamp(Math.Round(percent), 0, 99);
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (value <= _last || now - _lastAt < MinInterval) return;
            (_last, _lastAt) = (value, now);
            // Chained so updates land in order; failures only cost a progress tick.
            _pending = _pending.ContinueWith(_ => SaveAsync(value)).Unwrap();
        }
    }

    private async Task SaveAsync(int value)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<StreamForgeDbContext>();
            var still = await db.Videos.Where(v => v.Id == video.Id && v.Status == VideoStatus.Processing)
                .ExecuteUpdateAsync(s => s.SetProperty(v => v.Progress, value));
            if (still == 0)
            {
                onGone?.Invoke();
                return;
            }
            await events.PublishAsync(new VideoEvent(video.Id, video.OwnerId, VideoStatus.Processing.ToWire(), value));
        }
        catch (Exception)
        {
            // Progress is advisory; the final state is written by the pipeline itself.
        }
    }
}

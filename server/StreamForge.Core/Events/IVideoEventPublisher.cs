namespace StreamForge.Core.Events;

public interface IVideoEventPublisher
{
    Task PublishAsync(VideoEvent e, CancellationToken ct = default);
}

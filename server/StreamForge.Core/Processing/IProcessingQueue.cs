namespace StreamForge.Core.Processing;

public interface IProcessingQueue
{
    /// <summary>Schedules the video's transcode, replacing any pending run of it.</summary>
    Task EnqueueAsync(Guid videoId, TimeSpan delay = default, CancellationToken ct = default);
    /// <summary>Schedules the remux of one rung of one media version into a downloadable MP4 (at most one pending per key).</summary>
    Task EnqueueRemuxAsync(Guid videoId, int version, string rendition, CancellationToken ct = default);
    /// <summary>Schedules the making of poster <paramref name="number"/> of one media version from <paramref name="source"/> (see <see cref="ProcessingJobs.PosterSourceKey"/>).</summary>
    Task EnqueuePosterAsync(Guid videoId, int version, int number, string source, CancellationToken ct = default);
    /// <summary>
    /// Schedules the move of the video's current media to where its visibility wants it (media/ ⇄ private/), at most
    /// one pending per video; the job decides whether there is anything to move when it runs.
    /// </summary>
    Task EnqueueMediaMoveAsync(Guid videoId, TimeSpan delay = default, CancellationToken ct = default);
    /// <summary>Schedules the fetch of an import from a URL (at most one pending per video).</summary>
    Task EnqueueImportAsync(Guid videoId, CancellationToken ct = default);
    /// <summary>
    /// Removes the video's pending job, transcode or import (true when there was one) and tells every worker to stop a run of it. Call it
    /// after the video's state has changed (cancelled, deleted): the stopped run checks nothing and abandons its work.
    /// </summary>
    Task<bool> RemoveAsync(Guid videoId, CancellationToken ct = default);
}

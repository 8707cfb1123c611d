namespace StreamForge.Core.Data;

/// <summary>
/// The MP4 of one rung of one media version, remuxed on first request and then served from storage. The key
/// (video, version, rendition) makes concurrent requests share one row, hence one job.
/// </summary>
public sealed class VideoDownload
{
    public Guid VideoId { get; set; }
    public int MediaVersion { get; set; }
    /// <summary>The rung id ("720p").</summary>
    public string Rendition { get; set; } = "";
    public string Status { get; set; } = DownloadStatus.Preparing;
    /// <summary>Remux runs started for this row: one per request that found nothing ready (tests prove the cache by it).</summary>
    public int Attempts { get; set; }
    public long? SizeBytes { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}

namespace StreamForge.Api.Downloads;

/// <summary>What a download request came to: <see cref="Download"/> for Ready and Preparing, <see cref="Reason"/> otherwise.</summary>
public sealed record DownloadOutcome(DownloadOutcomeKind Kind, DownloadDto? Download = null, string? Reason = null)
{
    public static DownloadOutcome Ready(DownloadDto download) => new(DownloadOutcomeKind.Ready, download);
    public static DownloadOutcome Preparing(DownloadDto download) => new(DownloadOutcomeKind.Preparing, download);
    public static readonly DownloadOutcome VideoNotFound = new(DownloadOutcomeKind.VideoNotFound);
    public static DownloadOutcome RenditionNotFound(string rendition) => new(DownloadOutcomeKind.RenditionNotFound, Reason: rendition);
    public static DownloadOutcome Unavailable(string reason) => new(DownloadOutcomeKind.Unavailable, Reason: reason);
}

namespace StreamForge.Api.Downloads;

public enum DownloadOutcomeKind
{
    /// <summary>The link is in the download.</summary>
    Ready,

    /// <summary>A remux is being made; ask again.</summary>
    Preparing,

    /// <summary>No such video, or not the caller's.</summary>
    VideoNotFound,

    /// <summary>The video has no rendition of that id; the reason holds the id asked for.</summary>
    RenditionNotFound,

    /// <summary>The video exists but cannot be downloaded in its state (upload unfinished, source gone, not ready).</summary>
    Unavailable,
}

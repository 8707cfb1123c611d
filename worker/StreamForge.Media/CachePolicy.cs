namespace StreamForge.Media;

/// <summary>
/// How long caches may keep a published file. The one definition for the worker and the API: the storage layer only
/// sets the header this produces.
/// </summary>
public enum CachePolicy
{
    /// <summary>Content never changes under its key (keys carry a media version): segments, init segments, sprites, poster.</summary>
    Immutable,

    /// <summary>
    /// Indexes (manifest.json, manifest.mpd, thumbs.vtt, playlists) and captions: a retried attempt may rewrite them in an
    /// unpublished version, and a caption change rewrites them in the published one.
    /// </summary>
    Short,

    /// <summary>Indexes of a version still being encoded: rewritten as each segment is published, so caches keep them a second.</summary>
    Growing,
}

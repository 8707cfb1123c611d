namespace StreamForge.Core.Videos;

/// <summary>Every way a video's status may change; <see cref="VideoTransitions"/> says from where to where.</summary>
public enum VideoTransition
{
    /// <summary>Owner: creates the video and its upload session and reserves the declared size.</summary>
    BeginUpload,
    /// <summary>Owner: an import from a URL is created, uploading at once (the worker fetches it); nothing is reserved yet.</summary>
    BeginImport,
    /// <summary>Owner: the first URL was signed.</summary>
    MarkUploading,
    /// <summary>Owner: the stored object has the declared size; the charge moves from declared to measured size.</summary>
    CompleteUpload,
    /// <summary>
    /// Owner: completion found an object that is not what was declared; or worker: an import failed (unreachable, too
    /// large, too slow). The reservation is released.
    /// </summary>
    RejectUpload,
    /// <summary>Worker: the version being encoded can already be watched (growing media); the status stays processing.</summary>
    MarkPlayable,
    /// <summary>Worker: the new media version is published.</summary>
    MarkReady,
    /// <summary>Worker: a permanent failure, or the last retry used.</summary>
    Fail,
    /// <summary>Owner (cancel) or admin (delete jobs): processing stops.</summary>
    Cancel,
    /// <summary>Owner retry (capped per day) or admin requeue.</summary>
    Requeue,
    /// <summary>Maintenance sweep: the upload was idle past its expiry; the reservation is released.</summary>
    ExpireUpload,
    /// <summary>Owner: the upload is abandoned; the video is removed and the reservation released.</summary>
    AbortUpload,
    /// <summary>Owner or admin: the video is removed and whatever it was charged is released.</summary>
    Delete,
}

namespace StreamForge.Core.Storage;

public enum MultipartCompletion
{
    Completed,
    /// <summary>Storage refused the part list: a recorded ETag does not match an uploaded part.</summary>
    PartsRejected,
    /// <summary>The multipart upload is no longer open (an earlier complete assembled it, or it was aborted).</summary>
    UploadGone,
}

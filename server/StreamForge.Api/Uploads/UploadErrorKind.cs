namespace StreamForge.Api.Uploads;

/// <summary>Why an upload use case refused; <see cref="UploadsApi"/> maps each kind to one HTTP status.</summary>
public enum UploadErrorKind
{
    /// <summary>400 with the fields at fault.</summary>
    Invalid,
    /// <summary>400.</summary>
    BadRequest,
    /// <summary>403: the account must confirm its email address first.</summary>
    EmailUnconfirmed,
    /// <summary>403.</summary>
    QuotaExceeded,
    /// <summary>404: the caller cannot see the upload, or it never existed.</summary>
    NotFound,
    /// <summary>409: the state moved on, or something is missing (parts, the file).</summary>
    Conflict,
    /// <summary>409: not every part is recorded.</summary>
    PartsMissing,
    /// <summary>409: the stored object is not the declared size.</summary>
    SizeMismatch,
    /// <summary>410: aborted or expired.</summary>
    Gone,
    /// <summary>413.</summary>
    TooLarge,
    /// <summary>429: the account has as many imports in progress as it may.</summary>
    TooMany,
}

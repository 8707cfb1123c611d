namespace StreamForge.Api.Captions;

public enum CaptionOutcomeKind
{
    /// <summary>The track was added or replaced and published.</summary>
    Saved,

    /// <summary>The track was removed from the database and the published indexes.</summary>
    Removed,

    /// <summary>No such video, or not the caller's.</summary>
    VideoNotFound,

    /// <summary>The video has no track in that language.</summary>
    TrackNotFound,

    /// <summary>A named field (lang, label) is not acceptable.</summary>
    InvalidField,

    /// <summary>The file is neither usable WebVTT nor SRT.</summary>
    InvalidFile,

    /// <summary>The file is over the size limit.</summary>
    TooLarge,

    /// <summary>The video's state or its track count does not allow the change now.</summary>
    Conflict,
}

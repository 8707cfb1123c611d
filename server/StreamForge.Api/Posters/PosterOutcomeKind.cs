namespace StreamForge.Api.Posters;

public enum PosterOutcomeKind
{
    /// <summary>The choice was recorded and a worker makes the poster.</summary>
    Accepted,

    /// <summary>No such video, or not the caller's.</summary>
    VideoNotFound,

    /// <summary>A named field (fromSprite, atSeconds) is not acceptable.</summary>
    InvalidField,

    /// <summary>The uploaded file is not a usable JPEG or PNG.</summary>
    InvalidImage,

    /// <summary>The body is not declared as image/jpeg or image/png.</summary>
    UnsupportedType,

    /// <summary>The uploaded file is over the byte limit.</summary>
    TooLarge,

    /// <summary>The video is not ready.</summary>
    Conflict,
}

namespace StreamForge.Core.Videos;

/// <summary>How a transition ended; the API maps each to one HTTP status.</summary>
public enum TransitionResult
{
    /// <summary>This caller moved the video (and the quota, once).</summary>
    Done,
    /// <summary>Someone already made the same move (an idempotent complete): nothing changed now.</summary>
    AlreadyDone,
    /// <summary>The video does not exist (any more): 404.</summary>
    NotFound,
    /// <summary>The video is in a status this transition does not leave (another caller moved it first): 409.</summary>
    Conflict,
    /// <summary>The upload was aborted or expired: 410.</summary>
    Gone,
    /// <summary>The quota does not allow the move: 403.</summary>
    QuotaExceeded,
    /// <summary>The owner used today's retries: 429.</summary>
    TooManyRetries,
}

namespace StreamForge.Api.Infrastructure;

/// <summary>Why a read or edit use case refused; <see cref="RefusalProblems"/> maps each kind to one HTTP status.</summary>
public enum RefusalKind
{
    /// <summary>400: a query value out of range (sort, state, page, ids).</summary>
    BadRequest,
    /// <summary>400 with the body fields at fault.</summary>
    Invalid,
    /// <summary>400 invalid-token: a mailed link's token is unknown, used or expired.</summary>
    InvalidToken,
    /// <summary>401 session-expired: the caller's token names an account that no longer exists.</summary>
    SessionExpired,
    /// <summary>404: the caller cannot see the thing, or it never existed.</summary>
    NotFound,
    /// <summary>409: the state already is what the request asks for, or moved on.</summary>
    Conflict,
}

using Microsoft.AspNetCore.Http.HttpResults;

namespace StreamForge.Api.Infrastructure;

/// <summary>The one table from a <see cref="Refusal"/> to its RFC 9457 answer (field errors go through <see cref="Problems.Validation"/>).</summary>
public static class RefusalProblems
{
    public static ProblemHttpResult For(Refusal refusal, string what) => refusal.Kind switch
    {
        RefusalKind.NotFound => Problems.NotFound(what),
        RefusalKind.Conflict => Problems.Conflict(refusal.Detail),
        RefusalKind.InvalidToken => Problems.Create(StatusCodes.Status400BadRequest, "invalid-token", "Invalid or expired link", refusal.Detail),
        RefusalKind.SessionExpired => Problems.Create(StatusCodes.Status401Unauthorized, "session-expired", "Session expired", refusal.Detail),
        _ => Problems.BadRequest(refusal.Detail),
    };
}

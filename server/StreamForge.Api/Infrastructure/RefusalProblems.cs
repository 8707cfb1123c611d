using Microsoft.AspNetCore.Http.HttpResults;

namespace StreamForge.Api.Infrastructure;

/// <summary>The one table from a <see cref="Refusal"/> to its RFC 9457 answer (field errors go through <see cref="Problems.Validation"/>).</summary>
public static class RefusalProblems
{
    public static ProblemHttpResult For(Refusal refusal, string what) => refusal.Kind switch
    {
        RefusalKind.NotFound => Problems.NotFound(what),
        _ => Problems.BadRequest(refusal.Detail),
    };
}

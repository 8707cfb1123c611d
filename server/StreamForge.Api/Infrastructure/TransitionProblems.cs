using Microsoft.AspNetCore.Http.HttpResults;
using StreamForge.Core.Videos;

namespace StreamForge.Api.Infrastructure;

/// <summary>The one mapping of a refused lifecycle transition to a problem: a lost race is 409/410, never a 500.</summary>
public static class TransitionProblems
{
    public static ProblemHttpResult For(TransitionOutcome outcome, string what) => outcome.Result switch
    {
        TransitionResult.NotFound => Problems.NotFound(what),
        TransitionResult.Gone => Problems.Gone(outcome.Detail ?? "This upload expired or was aborted; start a new one."),
        TransitionResult.QuotaExceeded => Problems.QuotaExceeded(outcome.Detail ?? "Your storage quota does not allow this."),
        TransitionResult.TooManyRetries => Problems.Create(StatusCodes.Status429TooManyRequests, "too-many-retries", "Too many retries",
            outcome.Detail ?? "This video was retried too often today."),
        _ => Problems.Conflict(outcome.Detail ?? "The video changed meanwhile; reload it."),
    };
}

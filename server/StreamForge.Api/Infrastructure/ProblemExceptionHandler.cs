using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace StreamForge.Api.Infrastructure;

/// <summary>
/// Turns binding failures (malformed JSON, wrong types) into a 400 that says what was wrong, and
/// anything unexpected into a 500 problem without internals.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        ProblemDetails problem;
        if (exception is BadHttpRequestException bad)
        {
            var detail = bad.InnerException is JsonException json
                ? $"The request body is not valid JSON for this endpoint: {json.Message}"
                : bad.Message;
            problem = new ProblemDetails
            {
                Status = bad.StatusCode,
                Type = "https://streamforge.dev/problems/bad-request",
                Title = "Bad request",
                Detail = detail,
            };
        }
        else
        {
            log.LogError(exception, "Unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Type = "https://streamforge.dev/problems/internal",
                Title = "Internal error",
                Detail = "Something went wrong on our side; it has been logged.",
            };
        }
        http.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }
}

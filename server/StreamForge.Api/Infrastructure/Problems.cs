using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace StreamForge.Api.Infrastructure;

/// <summary>RFC 9457 problem results with a stable type URI per kind of error.</summary>
public static class Problems
{
    private const string TypeBase = "https://streamforge.dev/problems/";

    public static ProblemHttpResult Create(int status, string kind, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(new ProblemDetails
        {
            Status = status,
            Type = TypeBase + kind,
            Title = title,
            Detail = detail,
            Extensions = extensions ?? new Dictionary<string, object?>(),
        });

    /// <summary>
    /// A detail for the bodies the framework writes itself (status-code pages: no token, wrong role, no route),
    /// so every problem a client sees says what to do.
    /// </summary>
    public static string? DefaultDetail(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "Sign in first: send a valid access token (Authorization: Bearer or the session cookie).",
        StatusCodes.Status403Forbidden => "Your account is not allowed to do this.",
        StatusCodes.Status404NotFound => "There is nothing at this address.",
        StatusCodes.Status405MethodNotAllowed => "This address does not accept this method.",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json.",
        _ => null,
    };

    public static ProblemHttpResult NotFound(string what) =>
        Create(StatusCodes.Status404NotFound, "not-found", "Not found", $"{what} does not exist or is not yours.");

    public static ProblemHttpResult BadRequest(string detail) =>
        Create(StatusCodes.Status400BadRequest, "bad-request", "Bad request", detail);

    public static ProblemHttpResult Conflict(string detail) =>
        Create(StatusCodes.Status409Conflict, "conflict", "Conflict", detail);

    public static ProblemHttpResult Gone(string detail) =>
        Create(StatusCodes.Status410Gone, "upload-expired", "Upload expired", detail);

    public static ProblemHttpResult QuotaExceeded(string detail) =>
        Create(StatusCodes.Status403Forbidden, "quota-exceeded", "Storage quota exceeded", detail);

    public static ProblemHttpResult TooLarge(string detail) =>
        Create(StatusCodes.Status413RequestEntityTooLarge, "file-too-large", "File too large", detail);

    public static ValidationProblem Validation(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, type: TypeBase + "validation", title: "The request has invalid fields",
            detail: string.Join(" ", errors.SelectMany(e => e.Value)));
}

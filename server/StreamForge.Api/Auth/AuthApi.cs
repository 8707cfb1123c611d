using System.Net.Mail;
using Microsoft.AspNetCore.Http.HttpResults;
using StreamForge.Api.Infrastructure;

namespace StreamForge.Api.Auth;

public static class AuthApi
{
    public const int MinPasswordLength = 8;

    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/auth").WithTags("Auth");
        group.MapPost("/register", Register).WithName("Register").WithSummary("Create an account and start a session").RequireRateLimiting(AuthSetup.RegisterRateLimit);
        group.MapPost("/login", Login).WithName("Login").WithSummary("Start a session").RequireRateLimiting(AuthSetup.LoginRateLimit);
        group.MapPost("/refresh", Refresh).WithName("Refresh").WithSummary("Rotate the refresh cookie and get a new access token").RequireRateLimiting(AuthSetup.RefreshRateLimit);
        group.MapPost("/logout", Logout).WithName("Logout").WithSummary("End the session");
        return group;
    }

    private static async Task<Results<Created<AuthResult>, Accepted<MailAccepted>, ValidationProblem, ProblemHttpResult>> Register(
        CredentialsRequest body, RegistrationService registrations, HttpResponse response, CancellationToken ct) =>
        await registrations.RegisterAsync(body, response, ct) switch
        {
            { Refusal.Fields: { } fields } => Problems.Validation(fields),
            { Refusal: { } refused } => RefusalProblems.For(refused, "The account"),
            { Value.SignedIn: { } signedIn } => TypedResults.Created("/api/v1/me", signedIn),
            { Value: var registration } => TypedResults.Accepted((string?)null, registration!.Mailed),
        };

    private static async Task<Results<Ok<AuthResult>, ValidationProblem, ProblemHttpResult>> Login(
        CredentialsRequest body, LoginService logins, HttpResponse response, CancellationToken ct)
    {
        var outcome = await logins.SignInAsync(body, response, ct);
        switch (outcome.Kind)
        {
            case LoginOutcomeKind.SignedIn: return TypedResults.Ok(outcome.SignedIn!);
            case LoginOutcomeKind.Invalid: return Problems.Validation(outcome.Fields!);
            case LoginOutcomeKind.Throttled:
                response.Headers.RetryAfter = outcome.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Problems.Create(StatusCodes.Status429TooManyRequests, "login-throttled", "Too many failed sign-ins",
                    $"Too many failed sign-ins for this account; try again in {outcome.RetryAfterSeconds} seconds, or reset the password.");
            default: return InvalidCredentials();
        }
    }

    private static ProblemHttpResult InvalidCredentials() =>
        Problems.Create(StatusCodes.Status401Unauthorized, "invalid-credentials", "Invalid credentials", "The email or password is wrong.");

    private static async Task<Results<Ok<AuthResult>, ProblemHttpResult>> Refresh(HttpRequest request, SessionService sessions, HttpResponse response, CancellationToken ct)
    {
        var presented = request.Cookies[AuthOptions.RefreshCookie];
        var result = string.IsNullOrEmpty(presented) ? null : await sessions.RefreshAsync(presented, response, ct);
        return result is null
            ? Problems.Create(StatusCodes.Status401Unauthorized, "session-expired", "Session expired", "Log in again.")
            : TypedResults.Ok(result);
    }

    private static async Task<NoContent> Logout([AsParameters] LogoutCall call)
    {
        await call.Sessions.EndAsync(call.Request.Cookies[AuthOptions.RefreshCookie], call.Principal, call.Response, call.Ct);
        return TypedResults.NoContent();
    }

    internal static Dictionary<string, string[]> ValidateCredentials(CredentialsRequest body)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Email) || body.Email.Length > 254 || !MailAddress.TryCreate(body.Email.Trim(), out var parsed) || parsed.Address != body.Email.Trim())
            errors["email"] = ["email must be a valid address of at most 254 characters."];
        if (CheckPassword(body.Password) is { } problem) errors["password"] = [problem];
        return errors;
    }

    internal static string? CheckPassword(string? password) =>
        string.IsNullOrEmpty(password) || password.Length < MinPasswordLength ? $"password must be at least {MinPasswordLength} characters."
        : password.Length > 200 ? "password must be at most 200 characters."
        : null;
}

using Microsoft.AspNetCore.Http.HttpResults;
using StreamForge.Api.Email;
using StreamForge.Api.Infrastructure;

namespace StreamForge.Api.Auth;

/// <summary>Password reset by mailed link, and the optional confirmation of the account's address.</summary>
public static class AccountRecoveryApi
{
    /// <summary>Tokens are 43 characters; anything much longer is not one of ours.</summary>
    private const int MaxTokenLength = 100;

    public static RouteGroupBuilder MapAccountRecoveryApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/auth").WithTags("Auth");
        group.MapPost("/password-reset", RequestReset).WithName("RequestPasswordReset")
            .WithSummary("Mail a password reset link (same answer whether or not the address has an account)")
            .RequireRateLimiting(AuthSetup.AccountMailRateLimit);
        group.MapPost("/password-reset/confirm", ConfirmReset).WithName("ConfirmPasswordReset")
            .WithSummary("Set a new password with a reset link's token (single use; ends every session)")
            .RequireRateLimiting(AuthSetup.PasswordRateLimit);
        group.MapPost("/confirm-email", ConfirmEmail).WithName("ConfirmEmail")
            .WithSummary("Confirm the account's address with a confirmation link's token (single use)")
            .RequireRateLimiting(AuthSetup.PasswordRateLimit);
        group.MapPost("/confirm-email/resend", ResendConfirmation).WithName("ResendEmailConfirmation")
            .WithSummary("Mail a new confirmation link to the signed-in account")
            .RequireAuthorization().RequireRateLimiting(AuthSetup.AccountMailRateLimit);
        return group;
    }

    private static Results<Accepted<MailAccepted>, ValidationProblem> RequestReset(
        PasswordResetRequest body, AccountRecoveryService recovery, MailLinks links, HttpRequest request) =>
        recovery.RequestPasswordReset(body.Email, links.BaseUrl(request)) switch
        {
            { Refusal.Fields: { } fields } => Problems.Validation(fields),
            { Value: var accepted } => TypedResults.Accepted((string?)null, accepted),
        };

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ConfirmReset(
        PasswordResetConfirmRequest body, AccountRecoveryService recovery, CancellationToken ct) =>
        Done(await recovery.ResetPasswordAsync(body, ct));

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ConfirmEmail(
        EmailConfirmRequest body, AccountRecoveryService recovery, CancellationToken ct) =>
        Done(await recovery.ConfirmEmailAsync(body, ct));

    private static async Task<Results<Accepted<MailAccepted>, ProblemHttpResult>> ResendConfirmation([AsParameters] ResendConfirmationCall call) =>
        await call.Recovery.ResendConfirmationAsync(call.Principal, call.Links.BaseUrl(call.Request), call.Ct) switch
        {
            { Refusal: { } refused } => RefusalProblems.For(refused, "The account"),
            { Value: var accepted } => TypedResults.Accepted((string?)null, accepted),
        };

    private static Results<NoContent, ValidationProblem, ProblemHttpResult> Done(Refusal? refusal) => refusal switch
    {
        { Fields: { } fields } => Problems.Validation(fields),
        { } refused => RefusalProblems.For(refused, "The account"),
        null => TypedResults.NoContent(),
    };

    /// <summary>The token rule the recovery service checks before it looks a token up.</summary>
    internal static string? TokenProblem(string? token) =>
        string.IsNullOrWhiteSpace(token) ? "token is required: use the link from the mail."
        : token.Length > MaxTokenLength ? "token is not a valid link token: use the link from the mail."
        : null;
}

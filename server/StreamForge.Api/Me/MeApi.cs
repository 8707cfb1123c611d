using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using StreamForge.Api.Auth;
using StreamForge.Api.Infrastructure;
using StreamForge.Api.Keys;

namespace StreamForge.Api.Me;

public static class MeApi
{
    public static RouteGroupBuilder MapMeApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/me").WithTags("Account").RequireAuthorization();
        group.MapGet("/", GetMe).WithName("GetMe").WithSummary("The signed-in user with storage usage and quota").AllowAnyApiKey();
        group.MapPost("/password", ChangePassword).WithName("ChangePassword").WithSummary("Change the password (ends other sessions)").RequireRateLimiting(AuthSetup.PasswordRateLimit);
        return group;
    }

    private static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> GetMe(ClaimsPrincipal principal, AccountService account, CancellationToken ct) =>
        await account.GetAsync(principal, ct) is { } me
            ? TypedResults.Ok(me)
            : RefusalProblems.For(Refusal.SessionExpired, "The account");

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangePassword(
        ChangePasswordRequest body, ClaimsPrincipal principal, AccountService account, CancellationToken ct) =>
        await account.ChangePasswordAsync(principal, body, ct) switch
        {
            { Fields: { } fields } => Problems.Validation(fields),
            { } refused => RefusalProblems.For(refused, "The account"),
            null => TypedResults.NoContent(),
        };
}

using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Api.Auth;
using StreamForge.Api.Infrastructure;
using StreamForge.Core.Quota;
using StreamForge.Core.Data;

namespace StreamForge.Api.Me;

/// <param name="EmailConfirmationRequired">Whether this service refuses uploads until the address is confirmed.</param>
public sealed record MeResponse(Guid Id, string Email, string Role, long StorageUsedBytes, long? QuotaBytes, DateTimeOffset CreatedAt,
    bool EmailConfirmed, bool EmailConfirmationRequired);
public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

public static class MeApi
{
    public static RouteGroupBuilder MapMeApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/me").WithTags("Account").RequireAuthorization();
        group.MapGet("/", GetMe).WithName("GetMe").WithSummary("The signed-in user with storage usage and quota");
        group.MapPost("/password", ChangePassword).WithName("ChangePassword").WithSummary("Change the password (ends other sessions)").RequireRateLimiting(AuthSetup.PasswordRateLimit);
        return group;
    }

    private static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> GetMe(
        System.Security.Claims.ClaimsPrincipal principal, StreamForgeDbContext db, IOptions<QuotaOptions> quota, IOptions<AuthOptions> auth, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == principal.UserId(), ct);
        if (user is null) return Problems.Create(StatusCodes.Status401Unauthorized, "session-expired", "Session expired", "This account no longer exists.");
        return TypedResults.Ok(new MeResponse(user.Id, user.Email, user.Role, user.StorageUsedBytes, QuotaPolicy.EffectiveQuota(user, quota.Value), user.CreatedAt,
            user.EmailConfirmedAt is not null, auth.Value.RequireEmailConfirmation));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangePassword(
        ChangePasswordRequest body, System.Security.Claims.ClaimsPrincipal principal, StreamForgeDbContext db,
        IPasswordHasher<User> hasher, TimeProvider clock, CancellationToken ct)
    {
        if (AuthApi.CheckPassword(body.NewPassword) is { } problem)
            return Problems.Validation(new() { ["newPassword"] = [problem.Replace("password", "newPassword")] });
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == principal.UserId(), ct);
        if (user is null) return Problems.NotFound("The account");
        if (string.IsNullOrEmpty(body.CurrentPassword) || hasher.VerifyHashedPassword(user, user.PasswordHash, body.CurrentPassword) == PasswordVerificationResult.Failed)
            return Problems.Validation(new() { ["currentPassword"] = ["currentPassword is wrong."] });
        user.PasswordHash = hasher.HashPassword(user, body.NewPassword!);
        user.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        // Every other session ends (its access tokens too, within seconds); this one carries on.
        var current = Guid.TryParse(principal.FindFirstValue(TokenService.SessionClaim), out var sid) ? sid : Guid.Empty;
        await db.RefreshTokens.Where(t => t.UserId == user.Id && t.RevokedAt == null && t.SessionId != current)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, clock.GetUtcNow()), ct);
        return TypedResults.NoContent();
    }
}

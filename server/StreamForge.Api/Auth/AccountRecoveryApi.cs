using System.Net.Mail;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Api.Email;
using StreamForge.Api.Infrastructure;
using StreamForge.Core.Data;

namespace StreamForge.Api.Auth;

public sealed record PasswordResetRequest(string? Email);
public sealed record PasswordResetConfirmRequest(string? Token, string? NewPassword);
public sealed record EmailConfirmRequest(string? Token);
public sealed record MailAccepted(string Message);

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
        PasswordResetRequest body, MailQueue queue, MailLinks links, IOptions<AuthOptions> options, HttpRequest request)
    {
        if (string.IsNullOrWhiteSpace(body.Email) || body.Email.Length > 254 || !MailAddress.TryCreate(body.Email.Trim(), out var parsed) || parsed.Address != body.Email.Trim())
            return Problems.Validation(new() { ["email"] = ["email must be a valid address of at most 254 characters."] });
        var email = SessionService.NormalizeEmail(body.Email);
        var baseUrl = links.BaseUrl(request);
        // Everything that depends on whether the account exists happens after the answer, so neither the answer
        // nor its timing tells.
        queue.Enqueue((sp, ct) => sp.GetRequiredService<AccountMails>().SendPasswordResetAsync(email, baseUrl, ct));
        return TypedResults.Accepted((string?)null, new MailAccepted(
            $"If an account uses this address, a link to choose a new password is on its way. The link works once, for {AccountMails.Describe(options.Value.PasswordResetTokenLifetime)}."));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ConfirmReset(
        PasswordResetConfirmRequest body, StreamForgeDbContext db, AccountTokenService tokens, IPasswordHasher<User> hasher,
        LoginThrottle throttle, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (TokenProblem(body.Token) is { } tokenProblem) errors["token"] = [tokenProblem];
        if (AuthApi.CheckPassword(body.NewPassword) is { } problem) errors["newPassword"] = [problem.Replace("password", "newPassword")];
        if (errors.Count > 0) return Problems.Validation(errors);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var consumed = await tokens.ConsumeAsync(body.Token!, AccountTokenPurpose.PasswordReset, ct);
        if (consumed.UserId is not { } userId) return InvalidLink(consumed.Problem!);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null) return InvalidLink("The account of this link no longer exists.");
        var now = clock.GetUtcNow();
        user.PasswordHash = hasher.HashPassword(user, body.NewPassword!);
        user.UpdatedAt = now;
        // Every access token issued so far names the old stamp: none outlives the reset by more than seconds.
        user.SecurityStamp = Guid.NewGuid();
        // Reading the mail proved the address is theirs.
        user.EmailConfirmedAt ??= now;
        await db.SaveChangesAsync(ct);
        await tokens.VoidAllAsync(userId, AccountTokenPurpose.PasswordReset, ct);
        // Whoever knew the old password (the reason for many resets) loses every session with it.
        await db.RefreshTokens.Where(t => t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);
        // Proving the mailbox lifts a sign-in throttle strangers may have run up on the account.
        await throttle.SucceededAsync(user.Email, ct);
        await tx.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ConfirmEmail(
        EmailConfirmRequest body, StreamForgeDbContext db, AccountTokenService tokens, TimeProvider clock, CancellationToken ct)
    {
        if (TokenProblem(body.Token) is { } tokenProblem) return Problems.Validation(new() { ["token"] = [tokenProblem] });
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var consumed = await tokens.ConsumeAsync(body.Token!, AccountTokenPurpose.EmailConfirmation, ct);
        if (consumed.UserId is not { } userId) return InvalidLink(consumed.Problem!);
        var now = clock.GetUtcNow();
        await db.Users.Where(u => u.Id == userId && u.EmailConfirmedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.EmailConfirmedAt, now).SetProperty(u => u.UpdatedAt, now), ct);
        await tx.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Accepted<MailAccepted>, ProblemHttpResult>> ResendConfirmation(
        ClaimsPrincipal principal, StreamForgeDbContext db, MailQueue queue, MailLinks links, HttpRequest request, CancellationToken ct)
    {
        var userId = principal.UserId();
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null) return Problems.Create(StatusCodes.Status401Unauthorized, "session-expired", "Session expired", "This account no longer exists.");
        if (user.EmailConfirmedAt is not null) return Problems.Conflict("This address is already confirmed.");
        var baseUrl = links.BaseUrl(request);
        queue.Enqueue((sp, token) => sp.GetRequiredService<AccountMails>().SendConfirmationAsync(userId, baseUrl, token));
        return TypedResults.Accepted((string?)null, new MailAccepted($"A new confirmation link is on its way to {user.Email}."));
    }

    private static string? TokenProblem(string? token) =>
        string.IsNullOrWhiteSpace(token) ? "token is required: use the link from the mail."
        : token.Length > MaxTokenLength ? "token is not a valid link token: use the link from the mail."
        : null;

    private static ProblemHttpResult InvalidLink(string detail) =>
        Problems.Create(StatusCodes.Status400BadRequest, "invalid-token", "Invalid or expired link", detail);
}

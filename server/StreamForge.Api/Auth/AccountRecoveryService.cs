using System.Net.Mail;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Api.Email;
using StreamForge.Api.Infrastructure;
using StreamForge.Core.Data;

namespace StreamForge.Api.Auth;

/// <summary>
/// What a mailed link does once used: a new password (ending every session) or a confirmed address, each in one
/// transaction with the token's consumption. Answers are domain results; <see cref="AccountRecoveryApi"/> makes them HTTP.
/// </summary>
public sealed class AccountRecoveryService(
    StreamForgeDbContext db, AccountTokenService tokens, IPasswordHasher<User> hasher, LoginThrottle throttle, MailQueue queue,
    IOptions<AuthOptions> options, TimeProvider clock)
{
    /// <summary>
    /// Queues a reset mail for <paramref name="email"/> with links under <paramref name="baseUrl"/>; refuses only an
    /// address that is not one. The answer is the same whether an account uses the address: everything that depends
    /// on it happens after the answer, so neither the answer nor its timing tells.
    /// </summary>
    public Outcome<MailAccepted> RequestPasswordReset(string? email, string? baseUrl)
    {
        if (string.IsNullOrWhiteSpace(email) || email.Length > 254 || !MailAddress.TryCreate(email.Trim(), out var parsed) || parsed.Address != email.Trim())
            return Refusal.Invalid(new() { ["email"] = ["email must be a valid address of at most 254 characters."] });
        var normalized = SessionService.NormalizeEmail(email);
        queue.Enqueue((sp, ct) => sp.GetRequiredService<AccountMails>().SendPasswordResetAsync(normalized, baseUrl, ct));
        return new MailAccepted(
            $"If an account uses this address, a link to choose a new password is on its way. The link works once, for {AccountMails.Describe(options.Value.PasswordResetTokenLifetime)}.");
    }

    /// <summary>Null when the password is set.</summary>
    public async Task<Refusal?> ResetPasswordAsync(PasswordResetConfirmRequest body, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (AccountRecoveryApi.TokenProblem(body.Token) is { } tokenProblem) errors["token"] = [tokenProblem];
        if (AuthApi.CheckPassword(body.NewPassword) is { } problem) errors["newPassword"] = [problem.Replace("password", "newPassword")];
        if (errors.Count > 0) return Refusal.Invalid(errors);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var consumed = await tokens.ConsumeAsync(body.Token!, AccountTokenPurpose.PasswordReset, ct);
        if (consumed.UserId is not { } userId) return Refusal.InvalidToken(consumed.Problem!);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null) return Refusal.InvalidToken("The account of this link no longer exists.");
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
        return null;
    }

    /// <summary>Null when the address is confirmed (also when it already was).</summary>
    public async Task<Refusal?> ConfirmEmailAsync(EmailConfirmRequest body, CancellationToken ct)
    {
        if (AccountRecoveryApi.TokenProblem(body.Token) is { } tokenProblem) return Refusal.Invalid(new() { ["token"] = [tokenProblem] });
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var consumed = await tokens.ConsumeAsync(body.Token!, AccountTokenPurpose.EmailConfirmation, ct);
        if (consumed.UserId is not { } userId) return Refusal.InvalidToken(consumed.Problem!);
        var now = clock.GetUtcNow();
        await db.Users.Where(u => u.Id == userId && u.EmailConfirmedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.EmailConfirmedAt, now).SetProperty(u => u.UpdatedAt, now), ct);
        await tx.CommitAsync(ct);
        return null;
    }

    /// <summary>Queues a new confirmation mail with links under <paramref name="baseUrl"/>.</summary>
    public async Task<Outcome<MailAccepted>> ResendConfirmationAsync(ClaimsPrincipal principal, string? baseUrl, CancellationToken ct)
    {
        var userId = principal.UserId();
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null) return Refusal.SessionExpired;
        if (user.EmailConfirmedAt is not null) return Refusal.Conflict("This address is already confirmed.");
        queue.Enqueue((sp, token) => sp.GetRequiredService<AccountMails>().SendConfirmationAsync(userId, baseUrl, token));
        return new MailAccepted($"A new confirmation link is on its way to {user.Email}.");
    }
}

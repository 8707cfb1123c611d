using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Api.Auth;
using StreamForge.Api.Infrastructure;
using StreamForge.Core.Data;
using StreamForge.Core.Quota;

namespace StreamForge.Api.Me;

/// <summary>The signed-in user's own account: what it holds and its password. Answers are domain results; <see cref="MeApi"/> makes them HTTP.</summary>
public sealed class AccountService(
    StreamForgeDbContext db, IPasswordHasher<User> hasher, IOptions<QuotaOptions> quota, IOptions<AuthOptions> auth, TimeProvider clock)
{
    /// <summary>The caller's account, or null when it was deleted while their token still lives.</summary>
    public async Task<MeResponse?> GetAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == principal.UserId(), ct);
        return user is null ? null : new MeResponse(user.Id, user.Email, user.Role, user.StorageUsedBytes, QuotaPolicy.EffectiveQuota(user, quota.Value),
            user.CreatedAt, user.EmailConfirmedAt is not null, auth.Value.RequireEmailConfirmation);
    }

    /// <summary>Sets the new password when the current one is right; null when done.</summary>
    public async Task<Refusal?> ChangePasswordAsync(ClaimsPrincipal principal, ChangePasswordRequest body, CancellationToken ct)
    {
        if (AuthApi.CheckPassword(body.NewPassword) is { } problem)
            return Refusal.Invalid(new() { ["newPassword"] = [problem.Replace("password", "newPassword")] });
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == principal.UserId(), ct);
        if (user is null) return Refusal.NotFound;
        if (string.IsNullOrEmpty(body.CurrentPassword) || hasher.VerifyHashedPassword(user, user.PasswordHash, body.CurrentPassword) == PasswordVerificationResult.Failed)
            return Refusal.Invalid(new() { ["currentPassword"] = ["currentPassword is wrong."] });
        user.PasswordHash = hasher.HashPassword(user, body.NewPassword!);
        user.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        // Every other session ends (its access tokens too, within seconds); this one carries on.
        var current = Guid.TryParse(principal.FindFirstValue(TokenService.SessionClaim), out var sid) ? sid : Guid.Empty;
        await db.RefreshTokens.Where(t => t.UserId == user.Id && t.RevokedAt == null && t.SessionId != current)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, clock.GetUtcNow()), ct);
        return null;
    }
}

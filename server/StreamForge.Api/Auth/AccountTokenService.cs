using Microsoft.EntityFrameworkCore;
using StreamForge.Core.Data;

namespace StreamForge.Api.Auth;

/// <summary>
/// Single-use tokens sent by mail. Only the SHA-256 of a token is stored, so a database leak hands out no working
/// link. A new token leaves the older ones valid: otherwise anyone who knows an address could void the owner's link
/// by asking again. A completed password reset voids the rest.
/// </summary>
public sealed class AccountTokenService(StreamForgeDbContext db, TimeProvider clock)
{
    /// <summary>Rows this long past their expiry are of no use to anyone and are removed as new ones are issued.</summary>
    private static readonly TimeSpan KeepExpired = TimeSpan.FromDays(7);

    public async Task<string> IssueAsync(Guid userId, string purpose, TimeSpan lifetime, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var plain = TokenService.NewRefreshToken();
        var stale = now - KeepExpired;
        await db.AccountTokens.Where(t => t.UserId == userId && t.ExpiresAt < stale).ExecuteDeleteAsync(ct);
        db.AccountTokens.Add(new AccountToken
        {
            Id = Guid.NewGuid(), UserId = userId, Purpose = purpose, TokenHash = TokenService.Hash(plain),
            CreatedAt = now, ExpiresAt = now + lifetime,
        });
        await db.SaveChangesAsync(ct);
        return plain;
    }

    public Task<int> IssuedSinceAsync(Guid userId, string purpose, DateTimeOffset since, CancellationToken ct) =>
        db.AccountTokens.CountAsync(t => t.UserId == userId && t.Purpose == purpose && t.CreatedAt > since, ct);

    /// <summary>Whether the user holds a link of this purpose that still works (unused, unexpired).</summary>
    public Task<bool> HasLiveAsync(Guid userId, string purpose, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return db.AccountTokens.AnyAsync(t => t.UserId == userId && t.Purpose == purpose && t.UsedAt == null && t.ExpiresAt > now, ct);
    }

    public Task VoidAllAsync(Guid userId, string purpose, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return db.AccountTokens.Where(t => t.UserId == userId && t.Purpose == purpose && t.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), ct);
    }

    public sealed record Consumed(Guid? UserId, string? Problem);

    /// <summary>
    /// Uses the token in one conditional UPDATE, so of two requests with the same link exactly one wins. When it
    /// fails, says why in words a user can act on.
    /// </summary>
    public async Task<Consumed> ConsumeAsync(string token, string purpose, CancellationToken ct)
    {
        var hash = TokenService.Hash(token);
        var now = clock.GetUtcNow();
        var won = await db.Database.SqlQuery<Guid>($"""
            UPDATE account_tokens SET used_at = {now}
            WHERE token_hash = {hash} AND purpose = {purpose} AND used_at IS NULL AND expires_at > {now}
            RETURNING user_id AS "Value"
            """).ToListAsync(ct);
        if (won.Count == 1) return new Consumed(won[0], null);

        var stored = await db.AccountTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash && t.Purpose == purpose, ct);
        var what = purpose == AccountTokenPurpose.PasswordReset ? "password reset link" : "confirmation link";
        var again = purpose == AccountTokenPurpose.PasswordReset ? "ask for a new password reset mail" : "ask for a new confirmation mail";
        return new Consumed(null,
            stored is null ? $"This {what} is not valid: check that the whole link was copied, or {again}."
            : stored.UsedAt is not null ? $"This {what} was already used, or a completed password reset made it void; {again}."
            : $"This {what} expired; {again}.");
    }
}

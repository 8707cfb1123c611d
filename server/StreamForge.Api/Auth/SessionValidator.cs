using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using StreamForge.Core.Data;

namespace StreamForge.Api.Auth;

/// <summary>
/// Decides whether an access token's session still stands: the user exists, its security stamp is the token's, and
/// one refresh token of the session is live. A signed token alone would stay good for its whole lifetime after a
/// logout, a password reset, a demotion or a deleted account; this check ends it within
/// <see cref="AuthOptions.SessionCheckCacheDuration"/> on every node.
/// </summary>
public sealed class SessionValidator(StreamForgeDbContext db, IMemoryCache cache, IOptions<AuthOptions> options, TimeProvider clock)
{
    /// <summary>Why a principal's session does not stand, or null when it does (its role then is the current one).</summary>
    public async Task<string?> ProblemAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        if (!Guid.TryParse(principal.FindFirstValue("sub"), out var userId)
            || !Guid.TryParse(principal.FindFirstValue(TokenService.SessionClaim), out var sessionId)
            || !Guid.TryParse(principal.FindFirstValue(TokenService.StampClaim), out var stamp))
            return "The token names no session; sign in again.";
        var state = await CurrentAsync(userId, sessionId, ct);
        if (state.Role is null) return "The session has ended; sign in again.";
        if (state.Stamp != stamp) return "The account's credentials changed; sign in again.";
        return null;
    }

    /// <summary>The user's current role for a principal whose session stands (read through the same cache).</summary>
    public async Task<string?> CurrentRoleAsync(ClaimsPrincipal principal, CancellationToken ct) =>
        Guid.TryParse(principal.FindFirstValue("sub"), out var userId) && Guid.TryParse(principal.FindFirstValue(TokenService.SessionClaim), out var sessionId)
            ? (await CurrentAsync(userId, sessionId, ct)).Role
            : null;

    public async Task<SessionState> CurrentAsync(Guid userId, Guid sessionId, CancellationToken ct)
    {
        var key = CacheKey(sessionId);
        if (cache.TryGetValue(key, out SessionState? cached) && cached is not null) return cached;
        var now = clock.GetUtcNow();
        var row = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new
            {
                u.Role,
                u.SecurityStamp,
                Live = db.RefreshTokens.Any(t => t.SessionId == sessionId && t.UserId == userId && t.RevokedAt == null && t.ExpiresAt > now),
            })
            .SingleOrDefaultAsync(ct);
        var state = row is { Live: true } ? new SessionState(row.Role, row.SecurityStamp) : new SessionState(null, row?.SecurityStamp ?? Guid.Empty);
        cache.Set(key, state, options.Value.SessionCheckCacheDuration);
        return state;
    }

    /// <summary>Drops this node's cached view, so a logout takes effect here at once (other nodes follow within the cache time).</summary>
    public void Forget(Guid sessionId) => cache.Remove(CacheKey(sessionId));

    private static string CacheKey(Guid sessionId) => $"session:{sessionId:N}";
}

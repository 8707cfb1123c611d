using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Core.Data;

namespace StreamForge.Api.Auth;

/// <summary>Login sessions: access tokens plus rotating, revocable refresh tokens kept hashed.</summary>
public sealed class SessionService(
    StreamForgeDbContext db,
    TokenService tokens,
    IPasswordHasher<User> hasher,
    IOptions<AuthOptions> options,
    IHostEnvironment environment,
    SessionValidator validator,
    TimeProvider clock)
{
    public async Task<User?> FindByCredentialsAsync(string email, string password, CancellationToken ct)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Email == NormalizeEmail(email), ct);
        if (user is null)
        {
            // Spend the same time as a real check so response timing does not reveal which emails exist.
            hasher.HashPassword(new User(), password);
            return null;
        }
        var result = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed) return null;
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, password);
            await db.SaveChangesAsync(ct);
        }
        return user;
    }

    public async Task<AuthResult> StartAsync(User user, HttpResponse response, CancellationToken ct)
    {
        var refresh = IssueRefreshToken(user.Id, Guid.NewGuid());
        await db.SaveChangesAsync(ct);
        return WriteCookies(user, refresh, response);
    }

    /// <summary>
    /// Rotates the refresh token in one conditional UPDATE, so of two requests presenting the same token exactly one
    /// wins. A token presented again after its rotation was stolen or replayed: the whole family (every live token of
    /// the user) is revoked, which ends the thief's session and the victim's alike.
    /// </summary>
    public async Task<AuthResult?> RefreshAsync(string presented, HttpResponse response, CancellationToken ct)
    {
        var hash = TokenService.Hash(presented);
        var now = clock.GetUtcNow();
        var next = NewRefresh(Guid.Empty, Guid.Empty);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var won = await db.Database.SqlQuery<Guid>($"""
            UPDATE refresh_tokens SET revoked_at = {now}, replaced_by_id = {next.Entity.Id}
            WHERE token_hash = {hash} AND revoked_at IS NULL AND expires_at > {now}
            RETURNING user_id AS "Value"
            """).ToListAsync(ct);
        if (won.Count == 0)
        {
            var stored = await db.RefreshTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash, ct);
            if (stored?.RevokedAt is not null)
            {
                await db.RefreshTokens.Where(t => t.UserId == stored.UserId && t.RevokedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);
            }
            await tx.CommitAsync(ct);
            return null;
        }

        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == won[0], ct);
        if (user is null) return null;
        next.Entity.UserId = user.Id;
        // The new token continues the session of the one it replaces.
        next.Entity.SessionId = await db.RefreshTokens.Where(t => t.TokenHash == hash).Select(t => t.SessionId).SingleAsync(ct);
        db.RefreshTokens.Add(next.Entity);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return WriteCookies(user, next, response);
    }

    /// <summary>
    /// Ends the session of the presented refresh token and the session the request's access token names, so a
    /// logout also stops the access token (on every node within the session cache time), not only the refresh.
    /// </summary>
    public async Task EndAsync(string? presented, System.Security.Claims.ClaimsPrincipal principal, HttpResponse response, CancellationToken ct)
    {
        var sessions = new List<Guid>();
        if (!string.IsNullOrEmpty(presented))
        {
            var hash = TokenService.Hash(presented);
            sessions.AddRange(await db.RefreshTokens.Where(t => t.TokenHash == hash).Select(t => t.SessionId).ToListAsync(ct));
        }
        if (principal.Identity?.IsAuthenticated == true && Guid.TryParse(principal.FindFirst(TokenService.SessionClaim)?.Value, out var named)
            && Guid.TryParse(principal.FindFirst("sub")?.Value, out var userId)
            && await db.RefreshTokens.AnyAsync(t => t.SessionId == named && t.UserId == userId, ct))
            sessions.Add(named);
        if (sessions.Count > 0)
        {
            var now = clock.GetUtcNow();
            await db.RefreshTokens.Where(t => sessions.Contains(t.SessionId) && t.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);
            foreach (var session in sessions) validator.Forget(session);
        }
        var secure = response.HttpContext.Request.IsHttps || !environment.IsDevelopment();
        response.Cookies.Delete(AuthOptions.AccessCookie, new CookieOptions { Path = "/", Secure = secure, HttpOnly = true, SameSite = SameSiteMode.Strict });
        response.Cookies.Delete(AuthOptions.RefreshCookie, new CookieOptions { Path = AuthOptions.RefreshCookiePath, Secure = secure, HttpOnly = true, SameSite = SameSiteMode.Strict });
    }

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    private sealed record IssuedRefresh(RefreshToken Entity, string Plain);

    private IssuedRefresh IssueRefreshToken(Guid userId, Guid sessionId)
    {
        var issued = NewRefresh(userId, sessionId);
        db.RefreshTokens.Add(issued.Entity);
        return issued;
    }

    private IssuedRefresh NewRefresh(Guid userId, Guid sessionId)
    {
        var plain = TokenService.NewRefreshToken();
        var now = clock.GetUtcNow();
        var entity = new RefreshToken
        {
            Id = Guid.NewGuid(),
            UserId = userId,
            SessionId = sessionId,
            TokenHash = TokenService.Hash(plain),
            CreatedAt = now,
            ExpiresAt = now.Add(options.Value.RefreshTokenLifetime),
        };
        return new IssuedRefresh(entity, plain);
    }

    private AuthResult WriteCookies(User user, IssuedRefresh refresh, HttpResponse response)
    {
        var access = tokens.CreateAccessToken(user, refresh.Entity.SessionId);
        // Behind a TLS-terminating proxy IsHttps is right only once forwarded headers are trusted; every environment
        // but Development (tests, e2e and `npm start` over http://127.0.0.1) marks cookies Secure regardless, so a
        // misconfigured proxy cannot leak them over plain HTTP.
        var secure = response.HttpContext.Request.IsHttps || !environment.IsDevelopment();
        response.Cookies.Append(AuthOptions.AccessCookie, access.Token, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = secure, Path = "/", Expires = access.ExpiresAt,
        });
        response.Cookies.Append(AuthOptions.RefreshCookie, refresh.Plain, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = secure, Path = AuthOptions.RefreshCookiePath, Expires = refresh.Entity.ExpiresAt,
        });
        return new AuthResult(access.Token, access.ExpiresAt, new AuthUser(user.Id, user.Email, user.Role));
    }
}

using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Core.Data;

namespace StreamForge.Api.Auth;

public sealed record AuthUser(Guid Id, string Email, string Role);
public sealed record AuthResult(string AccessToken, DateTimeOffset ExpiresAt, AuthUser User);

/// <summary>Login sessions: access tokens plus rotating, revocable refresh tokens kept hashed.</summary>
public sealed class SessionService(
    StreamForgeDbContext db,
    TokenService tokens,
    IPasswordHasher<User> hasher,
    IOptions<AuthOptions> options,
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
        var refresh = await IssueRefreshTokenAsync(user.Id, ct);
        await db.SaveChangesAsync(ct);
        return WriteCookies(user, refresh, response);
    }

    /// <summary>Rotates the refresh token; a reused one revokes the whole family (it was stolen or replayed).</summary>
    public async Task<AuthResult?> RefreshAsync(string presented, HttpResponse response, CancellationToken ct)
    {
        var hash = TokenService.Hash(presented);
        var stored = await db.RefreshTokens.Include(t => t.User).SingleOrDefaultAsync(t => t.TokenHash == hash, ct);
        var now = clock.GetUtcNow();
        if (stored?.User is null || stored.ExpiresAt <= now) return null;
        if (stored.RevokedAt is not null)
        {
            await db.RefreshTokens.Where(t => t.UserId == stored.UserId && t.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);
            return null;
        }
        var next = await IssueRefreshTokenAsync(stored.UserId, ct);
        stored.RevokedAt = now;
        stored.ReplacedById = next.Entity.Id;
        await db.SaveChangesAsync(ct);
        return WriteCookies(stored.User, next, response);
    }

    public async Task EndAsync(string? presented, HttpResponse response, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(presented))
        {
            var hash = TokenService.Hash(presented);
            await db.RefreshTokens.Where(t => t.TokenHash == hash && t.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, clock.GetUtcNow()), ct);
        }
        response.Cookies.Delete(AuthOptions.AccessCookie, new CookieOptions { Path = "/" });
        response.Cookies.Delete(AuthOptions.RefreshCookie, new CookieOptions { Path = AuthOptions.RefreshCookiePath });
    }

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    private sealed record IssuedRefresh(RefreshToken Entity, string Plain);

    private Task<IssuedRefresh> IssueRefreshTokenAsync(Guid userId, CancellationToken ct)
    {
        var plain = TokenService.NewRefreshToken();
        var now = clock.GetUtcNow();
        var entity = new RefreshToken
        {
            Id = Guid.NewGuid(),
            UserId = userId,
            TokenHash = TokenService.Hash(plain),
            CreatedAt = now,
            ExpiresAt = now.Add(options.Value.RefreshTokenLifetime),
        };
        db.RefreshTokens.Add(entity);
        return Task.FromResult(new IssuedRefresh(entity, plain));
    }

    private AuthResult WriteCookies(User user, IssuedRefresh refresh, HttpResponse response)
    {
        var access = tokens.CreateAccessToken(user);
        var secure = response.HttpContext.Request.IsHttps;
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

using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using StreamForge.Api.Infrastructure;
using StreamForge.Core.Data;

namespace StreamForge.Api.Auth;

/// <summary>Issues access JWTs; the signing key is resolved once at startup.</summary>
public sealed class TokenService(IOptions<AuthOptions> options, SigningKeyProvider keys, TimeProvider clock)
{
    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>The session a token belongs to; checked on every request (see <see cref="SessionValidator"/>).</summary>
    public const string SessionClaim = "sid";
    /// <summary>The user's security stamp when the token was issued.</summary>
    public const string StampClaim = "stamp";

    public AccessToken CreateAccessToken(User user, Guid sessionId)
    {
        var expires = clock.GetUtcNow().Add(options.Value.AccessTokenLifetime);
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AuthOptions.Issuer,
            Audience = AuthOptions.Audience,
            Expires = expires.UtcDateTime,
            NotBefore = clock.GetUtcNow().UtcDateTime.AddSeconds(-5),
            Subject = new ClaimsIdentity(
            [
                new Claim("sub", user.Id.ToString("D")),
                new Claim("email", user.Email),
                new Claim("role", user.Role),
                new Claim(SessionClaim, sessionId.ToString("D")),
                new Claim(StampClaim, user.SecurityStamp.ToString("D")),
            ]),
            SigningCredentials = new SigningCredentials(keys.Key, SecurityAlgorithms.HmacSha256),
        });
        return new AccessToken(token, expires);
    }

    public static string NewRefreshToken() => RandomSecret.New();

    public static string Hash(string refreshToken) => RandomSecret.Hash(refreshToken);
}

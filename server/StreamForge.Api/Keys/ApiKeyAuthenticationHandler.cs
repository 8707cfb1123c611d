using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using StreamForge.Api.Infrastructure;
using StreamForge.Core.Data;

namespace StreamForge.Api.Keys;

/// <summary>
/// <c>Authorization: Bearer sk_…</c>: the key's account as the principal, always with role "user" (a key of an admin
/// account carries no admin power), <c>auth_kind=api_key</c> and one <c>scope</c> claim per scope.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var secret = header["Bearer ".Length..].Trim();
        var keys = Context.RequestServices.GetRequiredService<ApiKeyService>();
        if (await keys.AuthenticateAsync(secret, Context.RequestAborted) is not { } key)
            return AuthenticateResult.Fail("The API key is not valid: it was revoked, its account is gone, or it was mistyped.");
        var identity = new ClaimsIdentity(
        [
            new Claim("sub", key.UserId.ToString("D")),
            new Claim("email", key.Email),
            new Claim("role", Roles.User),
            new Claim(CallerKinds.Claim, CallerKinds.ApiKey),
            new Claim(CallerKinds.KeyIdClaim, key.Id.ToString("D")),
            .. key.Scopes.Select(s => new Claim(CallerKinds.ScopeClaim, s)),
        ], SchemeName, "email", "role");
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        await Problems.Create(StatusCodes.Status401Unauthorized, "invalid-api-key", "Invalid API key",
            result.Failure?.Message ?? "Send a valid API key: Authorization: Bearer sk_…").ExecuteAsync(Context);
    }
}

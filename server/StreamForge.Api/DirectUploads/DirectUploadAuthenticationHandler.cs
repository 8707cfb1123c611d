using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Api.Infrastructure;
using StreamForge.Core.Data;

namespace StreamForge.Api.DirectUploads;

/// <summary>
/// <c>Authorization: Bearer du_…</c>: the token of an upload link. What it may do is decided later
/// (<see cref="DirectUploadGate"/>, the upload service); here it only has to exist.
/// </summary>
public sealed class DirectUploadAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, StreamForgeDbContext db)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The link behind the request, for the gate's origin check.</summary>
    public const string LinkItem = "direct-upload-link";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var token = header["Bearer ".Length..].Trim();
        if (!DirectUploadToken.LooksValid(token)) return AuthenticateResult.Fail("Malformed upload token.");
        var hash = DirectUploadToken.Hash(token);
        var link = await db.DirectUploads.AsNoTracking().SingleOrDefaultAsync(d => d.TokenHash == hash, Context.RequestAborted);
        if (link is null) return AuthenticateResult.Fail("Unknown or revoked upload token.");

        Context.Items[LinkItem] = link;
        List<Claim> claims =
        [
            new("sub", link.UserId.ToString()),
            new(DirectUploadPrincipal.AuthKindClaim, DirectUploadPrincipal.Kind),
            new(DirectUploadPrincipal.IdClaim, link.Id.ToString()),
        ];
        if (link.VideoId is { } videoId) claims.Add(new(DirectUploadPrincipal.VideoClaim, videoId.ToString()));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name, "sub", "role"));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        if (result.Failure is null)
        {
            await base.HandleChallengeAsync(properties);
            return;
        }
        Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        await Problems.Create(StatusCodes.Status401Unauthorized, "upload-link-invalid", "Upload link not valid",
            "This upload link is not valid: it was revoked, or the token is mistyped. Ask its owner for a new link.").ExecuteAsync(Context);
    }
}

using System.Security.Claims;

namespace StreamForge.Api.Keys;

/// <summary>
/// How a request proved who it is, as claim <see cref="Claim"/>: a signed-in session, an API key, or a direct-upload
/// token. Sessions reach every route their role allows; the others only routes that name them (see <see cref="ICallerAccessRule"/>).
/// </summary>
public static class CallerKinds
{
    public const string Claim = "auth_kind";
    public const string Session = "session";
    public const string ApiKey = "api_key";
    public const string DirectUpload = "direct_upload";

    /// <summary>An API key's scopes, one claim each.</summary>
    public const string ScopeClaim = "scope";
    /// <summary>The id of the API key a principal authenticated with.</summary>
    public const string KeyIdClaim = "key_id";

    /// <summary>A principal without the claim is a session: that is what every JWT was before the claim existed.</summary>
    public static string Of(ClaimsPrincipal principal) => principal.FindFirstValue(Claim) ?? Session;
}

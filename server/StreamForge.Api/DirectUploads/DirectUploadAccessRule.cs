using System.Security.Claims;
using StreamForge.Api.Keys;
using StreamForge.Core.Data;

namespace StreamForge.Api.DirectUploads;

/// <summary>
/// What a direct-upload token may reach: only routes marked <see cref="DirectUploadMetadata"/> (the upload protocol),
/// and, when its link names an allowed origin, only from pages of that origin (or this app's own). Which video it may
/// touch is the upload service's rule. The authorization policies apply it to routes that need a signed-in caller;
/// <see cref="DirectUploadGate"/> applies it to every other route too, so a token is never a way in anywhere else.
/// </summary>
public sealed class DirectUploadAccessRule : ICallerAccessRule
{
    public string Kind => DirectUploadPrincipal.Kind;

    /// <summary>Why this token may not call <paramref name="endpoint"/> (the 403's detail), or null when it may.</summary>
    public string? Refusal(ClaimsPrincipal principal, Endpoint? endpoint, HttpContext? http) => RouteRefusal(endpoint) ?? OriginRefusal(http);

    public static string? RouteRefusal(Endpoint? endpoint) => endpoint?.Metadata.GetMetadata<DirectUploadMetadata>() is null
        ? "An upload link only works for its own upload (the /api/v1/uploads routes)."
        : null;

    public static string? OriginRefusal(HttpContext? http) =>
        http?.Items[DirectUploadAuthenticationHandler.LinkItem] is DirectUpload { AllowedOrigin: { } allowed }
        && OriginRefused(allowed, http.Request) is { } origin
            ? $"This upload link may only be used from {allowed}, not from {origin}."
            : null;

    /// <summary>
    /// The request's origin when the link does not allow it, else null. Browsers always send Origin cross-origin, so a
    /// request without one is not from another site's page (a server, or a same-origin GET); the origin is a browser
    /// rule, not a secret: the token is the credential.
    /// </summary>
    public static string? OriginRefused(string allowedOrigin, HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return null;
        if (string.Equals(origin, allowedOrigin, StringComparison.OrdinalIgnoreCase)) return null;
        if (string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase)) return null;
        return origin;
    }
}

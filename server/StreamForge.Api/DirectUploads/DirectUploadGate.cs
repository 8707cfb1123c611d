using StreamForge.Api.Infrastructure;
using StreamForge.Core.Data;

namespace StreamForge.Api.DirectUploads;

/// <summary>
/// What a direct-upload token may reach: only routes marked <see cref="DirectUploadMetadata"/> (the upload protocol),
/// and, when its link names an allowed origin, only from pages of that origin (or this app's own).
/// Which video it may touch is the upload service's rule.
/// </summary>
public static class DirectUploadGate
{
    public static IApplicationBuilder UseDirectUploadGate(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (!http.User.IsDirectUpload())
        {
            await next();
            return;
        }
        if (http.GetEndpoint()?.Metadata.GetMetadata<DirectUploadMetadata>() is null)
        {
            await Problems.Create(StatusCodes.Status403Forbidden, "upload-link-scope", "Not allowed with an upload link",
                "An upload link only works for its own upload (the /api/v1/uploads routes).").ExecuteAsync(http);
            return;
        }
        var link = http.Items[DirectUploadAuthenticationHandler.LinkItem] as DirectUpload;
        if (OriginRefused(link?.AllowedOrigin, http.Request) is { } origin)
        {
            await Problems.Create(StatusCodes.Status403Forbidden, "upload-link-origin", "Origin not allowed",
                $"This upload link may only be used from {link!.AllowedOrigin}, not from {origin}.").ExecuteAsync(http);
            return;
        }
        await next();
    });

    /// <summary>
    /// The request's origin when the link does not allow it, else null. Browsers always send Origin cross-origin, so a
    /// request without one is not from another site's page (a server, or a same-origin GET); the origin is a browser
    /// rule, not a secret: the token is the credential.
    /// </summary>
    public static string? OriginRefused(string? allowedOrigin, HttpRequest request)
    {
        if (allowedOrigin is null) return null;
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return null;
        if (string.Equals(origin, allowedOrigin, StringComparison.OrdinalIgnoreCase)) return null;
        if (string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase)) return null;
        return origin;
    }
}

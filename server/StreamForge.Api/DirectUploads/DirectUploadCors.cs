using Microsoft.Extensions.Options;
using StreamForge.Api.Operations;

namespace StreamForge.Api.DirectUploads;

/// <summary>
/// A third party's page calls the upload protocol from its own origin with a du_ token. Preflights carry no
/// Authorization, so any origin may preflight the upload routes; actual responses are shared with any origin only
/// for du_ requests, and never with credentials: a cross-origin page still cannot ride a signed-in user's cookie.
/// Configured origins (the SPA served elsewhere) keep the credentialed policy. The token's allowed origin is
/// enforced by <see cref="DirectUploadGate"/>, where the token is known.
/// </summary>
public static class DirectUploadCors
{
    private const string UploadsPath = "/api/v1/uploads";

    public static IApplicationBuilder UseDirectUploadCors(this IApplicationBuilder app)
    {
        var configured = app.ApplicationServices.GetRequiredService<IOptions<CorsOptions>>().Value.AllowedOrigins
            .Select(o => o.Trim().TrimEnd('/')).Where(o => o.Length > 0).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return app.Use(async (http, next) =>
        {
            var origin = http.Request.Headers.Origin.ToString();
            if (origin.Length == 0 || configured.Contains(origin) || !http.Request.Path.StartsWithSegments(UploadsPath))
            {
                await next();
                return;
            }
            var headers = http.Response.Headers;
            if (HttpMethods.IsOptions(http.Request.Method) && http.Request.Headers.ContainsKey("Access-Control-Request-Method"))
            {
                headers.AccessControlAllowOrigin = "*";
                headers.AccessControlAllowMethods = "GET, POST, PUT, DELETE";
                headers.AccessControlAllowHeaders = "Authorization, Content-Type";
                headers.AccessControlMaxAge = "600";
                http.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }
            if (DirectUploadSetup.CarriesToken(http))
            {
                headers.AccessControlAllowOrigin = "*";
                headers.AccessControlExposeHeaders = "Location";
            }
            await next();
        });
    }
}

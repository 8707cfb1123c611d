using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using StreamForge.Core.Playback;
using StreamForge.Core.Storage;

namespace StreamForge.Api.Web;

/// <summary>Browser-facing hardening: forwarded headers from known proxies only, HSTS, CSP and friends.</summary>
public static class SecurityHeaders
{
    public static IServiceCollection AddStreamForgeHttpSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        var proxy = configuration.GetSection(ProxyOptions.Section).Get<ProxyOptions>() ?? new ProxyOptions();
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The framework trusts loopback by default; here only what is configured is trusted.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var address in proxy.KnownProxies.Where(a => !string.IsNullOrWhiteSpace(a))) o.KnownProxies.Add(IPAddress.Parse(address.Trim()));
            foreach (var network in proxy.KnownNetworks.Where(n => !string.IsNullOrWhiteSpace(n))) o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network.Trim()));
        });
        services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        return services;
    }

    /// <summary>The Content-Security-Policy of the SPA: our own scripts only, media and uploads to storage/CDN.</summary>
    public static string ContentSecurityPolicy(StorageOptions storage, PlaybackOptions playback)
    {
        var media = new[] { playback.CdnUrl, storage.PublicBaseUrl, storage.ServiceUrl }
            .Select(Origin).Where(o => o is not null).Distinct().ToList();
        var mediaSources = string.Join(' ', media.Prepend("'self'"));
        return string.Join("; ",
            "default-src 'self'",
            "script-src 'self'",
            // React's style attributes (progress bars, sprite offsets) are inline styles, not scripts.
            "style-src 'self' 'unsafe-inline'",
            $"img-src {mediaSources} data: blob:",
            $"media-src {mediaSources} blob:",
            // The uploader PUTs parts straight to storage; the player fetches manifests and segments.
            $"connect-src {mediaSources}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'");
    }

    public static IApplicationBuilder UseStreamForgeSecurityHeaders(this WebApplication app)
    {
        var csp = ContentSecurityPolicy(
            app.Services.GetRequiredService<IOptions<StorageOptions>>().Value,
            app.Services.GetRequiredService<IOptions<PlaybackOptions>>().Value);
        return app.Use(async (http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                // Swagger UI brings inline script of its own; it is only served in development or to admins.
                if (!http.Request.Path.StartsWithSegments("/docs") && !http.Request.Path.StartsWithSegments("/swagger"))
                    headers.ContentSecurityPolicy = csp;
                return Task.CompletedTask;
            });
            await next();
        });
    }

    private static string? Origin(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.GetLeftPart(UriPartial.Authority) : null;
}

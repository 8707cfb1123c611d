using Microsoft.AspNetCore.Authentication;
using StreamForge.Api.Keys;

namespace StreamForge.Api.DirectUploads;

public static class DirectUploadSetup
{
    public static IServiceCollection AddStreamForgeDirectUploads(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DirectUploadOptions>().Bind(configuration.GetSection(DirectUploadOptions.Section));
        services.AddScoped<DirectUploadService>();
        services.AddSingleton<ICallerAccessRule, DirectUploadAccessRule>();
        // The bearer selector of AuthSetup sends "Bearer du_…" here (by this scheme's name).
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, DirectUploadAuthenticationHandler>(DirectUploadPrincipal.SchemeName, null);
        return services;
    }

    /// <summary>Whether the request's bearer is a direct-upload token (before authentication has run).</summary>
    public static bool CarriesToken(HttpContext http) =>
        http.Request.Headers.Authorization.ToString().StartsWith("Bearer " + DirectUploadToken.Prefix, StringComparison.OrdinalIgnoreCase);
}

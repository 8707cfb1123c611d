using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace StreamForge.Api.DirectUploads;

public static class DirectUploadSetup
{
    /// <summary>Picks the handler of a request by its bearer token's prefix; JWT (header or cookie) otherwise.</summary>
    public const string BearerSelectorScheme = "bearer-selector";

    public static IServiceCollection AddStreamForgeDirectUploads(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DirectUploadOptions>().Bind(configuration.GetSection(DirectUploadOptions.Section));
        services.AddScoped<DirectUploadService>();
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = BearerSelectorScheme;
                o.DefaultAuthenticateScheme = BearerSelectorScheme;
                o.DefaultChallengeScheme = BearerSelectorScheme;
            })
            .AddScheme<AuthenticationSchemeOptions, DirectUploadAuthenticationHandler>(DirectUploadPrincipal.SchemeName, null)
            .AddPolicyScheme(BearerSelectorScheme, "Bearer token by prefix", o => o.ForwardDefaultSelector = SchemeFor);
        return services;
    }

    public static string SchemeFor(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer " + DirectUploadToken.Prefix, StringComparison.OrdinalIgnoreCase)
            ? DirectUploadPrincipal.SchemeName
            : JwtBearerDefaults.AuthenticationScheme;
    }
}

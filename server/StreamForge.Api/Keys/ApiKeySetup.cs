using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace StreamForge.Api.Keys;

public static class ApiKeySetup
{
    public static IServiceCollection AddStreamForgeApiKeys(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiKeyOptions>().Bind(configuration.GetSection(ApiKeyOptions.Section));
        services.AddScoped<ApiKeyService>();
        services.AddSingleton<AccountRequestLimiter>();
        services.AddSingleton<ICallerAccessRule, ApiKeyAccessRule>();
        services.AddSingleton<IAuthorizationHandler, CallerKindHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, CallerKindProblems>();
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        return services;
    }

    /// <summary>After authorization: counts the account's requests on key-reachable routes (see <see cref="AccountRequestLimiter"/>).</summary>
    public static IApplicationBuilder UseAccountRequestLimit(this IApplicationBuilder app) => AccountRequestLimiter.UseAccountRequestLimit(app);
}

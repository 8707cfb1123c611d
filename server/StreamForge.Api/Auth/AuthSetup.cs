using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using StreamForge.Api.Infrastructure;
using StreamForge.Api.Keys;
using StreamForge.Core.Data;

namespace StreamForge.Api.Auth;

public static class AuthSetup
{
    public const string LoginRateLimit = "login";
    public const string RegisterRateLimit = "register";
    public const string RefreshRateLimit = "refresh";
    public const string PasswordRateLimit = "password";
    public const string AccountMailRateLimit = "account-mail";
    public const string ViewReportRateLimit = "view-reports";
    public const string WatchRateLimit = "watch";
    public const string MediaRateLimit = "media";
    public const string AdminPolicy = "admin";
    private const string ViaCookieItem = "auth-via-cookie";
    /// <summary>The default scheme: picks the scheme by the bearer's prefix (see <see cref="SelectScheme"/>).</summary>
    public const string SelectorScheme = "bearer-selector";

    public static IServiceCollection AddStreamForgeAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section));
        services.AddSingleton<SigningKeyProvider>();
        services.AddSingleton<TokenService>();
        services.AddScoped<SessionService>();
        services.AddScoped<LoginService>();
        services.AddMemoryCache();
        services.AddScoped<SessionValidator>();
        services.AddScoped<LoginThrottle>();
        services.AddScoped<AccountTokenService>();
        services.AddScoped<AccountRecoveryService>();
        services.AddScoped<RegistrationService>();
        services.AddScoped<AccountMails>();
        services.AddSingleton<Microsoft.AspNetCore.Identity.IPasswordHasher<User>, Microsoft.AspNetCore.Identity.PasswordHasher<User>>();

        services.AddAuthentication(SelectorScheme)
            .AddPolicyScheme(SelectorScheme, "Session, API key or direct-upload token", o => o.ForwardDefaultSelector = SelectScheme)
            .AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<SigningKeyProvider>((o, keys) =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = AuthOptions.Issuer,
                    ValidAudience = AuthOptions.Audience,
                    IssuerSigningKey = keys.Key,
                    NameClaimType = "email",
                    RoleClaimType = "role",
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
                o.Events = new JwtBearerEvents
                {
                    // The SPA and EventSource cannot set headers, so the HttpOnly cookie carries the token.
                    OnMessageReceived = ctx =>
                    {
                        if (string.IsNullOrEmpty(ctx.Request.Headers.Authorization) &&
                            ctx.Request.Cookies.TryGetValue(AuthOptions.AccessCookie, out var token))
                        {
                            ctx.Token = token;
                            ctx.HttpContext.Items[ViaCookieItem] = true;
                        }
                        return Task.CompletedTask;
                    },
                    // A valid signature only says the token was issued; the session must also still stand, and the
                    // role is the user's current one, so a demoted admin loses admin routes within seconds.
                    OnTokenValidated = async ctx =>
                    {
                        var sessions = ctx.HttpContext.RequestServices.GetRequiredService<SessionValidator>();
                        var principal = ctx.Principal!;
                        if (await sessions.ProblemAsync(principal, ctx.HttpContext.RequestAborted) is { } problem)
                        {
                            ctx.Fail(problem);
                            return;
                        }
                        if (principal.Identity is System.Security.Claims.ClaimsIdentity signedIn && !signedIn.HasClaim(c => c.Type == CallerKinds.Claim))
                            signedIn.AddClaim(new System.Security.Claims.Claim(CallerKinds.Claim, CallerKinds.Session));
                        var role = await sessions.CurrentRoleAsync(principal, ctx.HttpContext.RequestAborted);
                        if (principal.Identity is System.Security.Claims.ClaimsIdentity identity && role is not null && !principal.IsInRole(role))
                        {
                            foreach (var stale in identity.FindAll("role").ToList()) identity.RemoveClaim(stale);
                            identity.AddClaim(new System.Security.Claims.Claim("role", role));
                        }
                    },
                };
            });
        // Every policy carries the caller-kind gate: API keys and direct-upload tokens reach only the routes that name
        // them, and admin routes name neither.
        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(new CallerKindRequirement()).Build())
            .AddPolicy(AdminPolicy, p => p.RequireRole(Roles.Admin).AddRequirements(new CallerKindRequirement()));

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            PerClientPerMinute(o, LoginRateLimit, a => a.LoginAttemptsPerMinute);
            PerClientPerMinute(o, RegisterRateLimit, a => a.RegistrationsPerMinute);
            PerClientPerMinute(o, RefreshRateLimit, a => a.RefreshesPerMinute);
            PerClientPerMinute(o, PasswordRateLimit, a => a.PasswordChangesPerMinute);
            PerClientPerMinute(o, AccountMailRateLimit, a => a.AccountMailRequestsPerMinute);
            PerClientPerMinute<Playback.PlaybackOptions>(o, ViewReportRateLimit, p => p.ViewReportsPerMinute);
            PerClientPerMinute<Playback.PlaybackOptions>(o, WatchRateLimit, p => p.WatchRequestsPerMinute);
            PerClientPerMinute<Playback.PlaybackOptions>(o, MediaRateLimit, p => p.MediaRequestsPerMinute);
            o.OnRejected = async (ctx, ct) =>
            {
                ctx.HttpContext.Response.Headers.RetryAfter = "60";
                var what = ctx.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName switch
                {
                    "Login" => "login attempts",
                    "Register" => "sign-ups",
                    "Refresh" => "session refreshes",
                    "ChangePassword" => "password changes",
                    "RequestPasswordReset" => "password reset requests",
                    "ConfirmPasswordReset" => "password reset attempts",
                    "ConfirmEmail" => "confirmation attempts",
                    "ResendEmailConfirmation" => "confirmation mail requests",
                    "ReportViews" => "playback reports",
                    "GetWatch" or "ListWatch" => "watch page requests",
                    "GetPrivateMedia" => "media requests",
                    _ => "requests",
                };
                await Problems.Create(StatusCodes.Status429TooManyRequests, "rate-limited", "Too many attempts",
                    $"Too many {what} from this address; wait a minute and try again.").ExecuteAsync(ctx.HttpContext);
            };
        });
        return services;
    }

    /// <summary>A fixed one-minute window per client address (the real one: forwarded headers run first).</summary>
    private static void PerClientPerMinute(RateLimiterOptions o, string policy, Func<AuthOptions, int> limit) =>
        PerClientPerMinute<AuthOptions>(o, policy, limit);

    private static void PerClientPerMinute<TOptions>(RateLimiterOptions o, string policy, Func<TOptions, int> limit) where TOptions : class =>
        o.AddPolicy(policy, http =>
        {
            var permits = limit(http.RequestServices.GetRequiredService<IOptions<TOptions>>().Value);
            return RateLimitPartition.GetFixedWindowLimiter($"{policy}:{http.Connection.RemoteIpAddress}",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
        });

    /// <summary>
    /// The bearer's prefix names its kind: <c>sk_</c> an API key, <c>du_</c> a direct-upload token, anything else (or none, the cookie) a session JWT.
    /// </summary>
    private static string SelectScheme(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return JwtBearerDefaults.AuthenticationScheme;
        var token = header.AsSpan("Bearer ".Length).TrimStart();
        if (token.StartsWith(ApiKeySecret.Marker, StringComparison.Ordinal)) return ApiKeyAuthenticationHandler.SchemeName;
        if (token.StartsWith(DirectUploads.DirectUploadToken.Prefix, StringComparison.Ordinal)) return DirectUploads.DirectUploadPrincipal.SchemeName;
        return JwtBearerDefaults.AuthenticationScheme;
    }

    /// <summary>
    /// Cookie-authenticated writes must carry a header a cross-site form cannot set (SameSite=Strict
    /// already blocks most cross-site sends; this covers older browsers and same-site subdomains).
    /// </summary>
    public static IApplicationBuilder UseCsrfHeaderCheck(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var unsafeMethod = !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && !HttpMethods.IsOptions(http.Request.Method);
        // Callers by key or token send a header a cross-site form cannot set: nothing to forge, nothing to demand.
        // Routes marked as ignoring the caller's identity (player beacons, which cannot set headers) have nothing a
        // forged request could do in the viewer's name: they act the same for a signed-in viewer and a stranger.
        var ignoresIdentity = http.GetEndpoint()?.Metadata.GetMetadata<IgnoresCallerIdentity>() is not null;
        var usesCookies = !ignoresIdentity && CallerKinds.Of(http.User) == CallerKinds.Session && http.Items.ContainsKey(ViaCookieItem) || http.Request.Path.StartsWithSegments(AuthOptions.RefreshCookiePath) && http.Request.Cookies.ContainsKey(AuthOptions.RefreshCookie);
        if (unsafeMethod && usesCookies && !http.Request.Headers.ContainsKey(AuthOptions.CsrfHeader))
        {
            await Problems.Create(StatusCodes.Status403Forbidden, "csrf", "Missing CSRF header",
                $"Requests authenticated by cookie must send the {AuthOptions.CsrfHeader} header.").ExecuteAsync(http);
            return;
        }
        await next();
    });
}

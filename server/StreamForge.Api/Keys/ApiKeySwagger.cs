using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace StreamForge.Api.Keys;

/// <summary>The OpenAPI document names API keys as a security scheme and marks the operations a key may call.</summary>
public static class ApiKeySwagger
{
    public const string SchemeName = "apiKey";
    public const string SessionSchemeName = "session";

    public static void AddApiKeySecurity(this SwaggerGenOptions o)
    {
        o.AddSecurityDefinition(SchemeName, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "sk_…",
            Description = "An API key (Settings → API keys, or POST /api/v1/keys): `Authorization: Bearer sk_…`. " +
                          "It reaches only the operations that list its scope, and never admin, session or key routes.",
        });
        o.AddSecurityDefinition(SessionSchemeName, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A signed-in session: the access token from sign-in (the SPA sends it as an HttpOnly cookie with an X-CSRF header on writes).",
        });
        o.OperationFilter<ScopeOperationFilter>();
    }

    private sealed class ScopeOperationFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
            if (!metadata.OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Any()
                || metadata.OfType<Microsoft.AspNetCore.Authorization.IAllowAnonymous>().Any()) return;
            operation.Security ??= [];
            // Alternatives: a session always; a key only where the route names its scope (or takes any key).
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SessionSchemeName, context.Document)] = [] });
            var scope = metadata.OfType<ApiScopeMetadata>().FirstOrDefault()?.Scope;
            if (scope is null && !metadata.OfType<AnyApiKeyMetadata>().Any()) return;
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = scope is null ? [] : [scope],
            });
        }
    }
}

using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace StreamForge.Api.Keys;

/// <summary>The OpenAPI document names API keys as a security scheme and marks the operations a key may call.</summary>
public static class ApiKeySwagger
{
    public const string SchemeName = "apiKey";

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
        o.OperationFilter<ScopeOperationFilter>();
    }

    private sealed class ScopeOperationFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
            var scope = metadata.OfType<ApiScopeMetadata>().FirstOrDefault()?.Scope;
            if (scope is null && !metadata.OfType<AnyApiKeyMetadata>().Any()) return;
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = scope is null ? [] : [scope],
            });
        }
    }
}

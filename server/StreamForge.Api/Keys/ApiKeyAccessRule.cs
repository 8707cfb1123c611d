using System.Security.Claims;

namespace StreamForge.Api.Keys;

/// <summary>An API key reaches a route that names a scope the key holds (or any key, see <see cref="AnyApiKeyMetadata"/>), and nothing else.</summary>
public sealed class ApiKeyAccessRule : ICallerAccessRule
{
    public string Kind => CallerKinds.ApiKey;

    public string? Refusal(ClaimsPrincipal principal, Endpoint? endpoint, HttpContext? http)
    {
        if (endpoint?.Metadata.GetMetadata<AnyApiKeyMetadata>() is not null) return null;
        if (endpoint?.Metadata.GetMetadata<ApiScopeMetadata>() is not { } needed)
            return "API keys cannot call this route; it needs a signed-in session.";
        return principal.HasClaim(CallerKinds.ScopeClaim, needed.Scope)
            ? null
            : $"This API key lacks the scope '{needed.Scope}' that this route needs.";
    }
}

/// <summary>Endpoint metadata: any valid API key may call this route whatever its scopes (e.g. the account's own quota).</summary>
public sealed record AnyApiKeyMetadata
{
    public static readonly AnyApiKeyMetadata Instance = new();
}

public static class AnyApiKeyExtensions
{
    public static TBuilder AllowAnyApiKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(AnyApiKeyMetadata.Instance);
}

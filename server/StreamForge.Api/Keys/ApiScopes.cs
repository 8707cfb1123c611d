namespace StreamForge.Api.Keys;

/// <summary>
/// What an API key may do. A route names the scope it needs with <see cref="RequireScope{TBuilder}"/>; a route that
/// names none never accepts a key (admin routes, key management, sessions), whatever scopes the key carries.
/// </summary>
public static class ApiScopes
{
    public const string VideosRead = "videos:read";
    public const string VideosWrite = "videos:write";
    public const string UploadsWrite = "uploads:write";
    public const string WebhooksManage = "webhooks:manage";

    public static readonly IReadOnlyList<string> All = [VideosRead, VideosWrite, UploadsWrite, WebhooksManage];

    /// <summary>Lets API keys with <paramref name="scope"/> call these routes (signed-in users are unaffected).</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope) where TBuilder : IEndpointConventionBuilder
    {
        if (!All.Contains(scope)) throw new ArgumentException($"Unknown API scope '{scope}'.", nameof(scope));
        return builder.WithMetadata(new ApiScopeMetadata(scope));
    }
}

/// <summary>Endpoint metadata: the scope an API key needs for this route.</summary>
public sealed record ApiScopeMetadata(string Scope);

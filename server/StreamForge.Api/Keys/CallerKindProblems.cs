using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using StreamForge.Api.Infrastructure;

namespace StreamForge.Api.Keys;

/// <summary>
/// A 403 from the caller-kind gate says why (the missing scope, or that keys cannot call the route) as problem+json;
/// every other authorization answer is the framework's.
/// </summary>
public sealed class CallerKindProblems : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (result.Forbidden && result.AuthorizationFailure?.FailureReasons.FirstOrDefault(r => r.Handler is CallerKindHandler) is { } reason)
        {
            var scope = context.GetEndpoint()?.Metadata.GetMetadata<ApiScopeMetadata>()?.Scope;
            var missing = scope is not null && reason.Message.Contains($"'{scope}'", StringComparison.Ordinal);
            await Problems.Create(StatusCodes.Status403Forbidden, missing ? "scope-missing" : "key-not-allowed",
                missing ? "API key scope missing" : "Not available with this credential", reason.Message,
                missing ? new Dictionary<string, object?> { ["scope"] = scope } : null).ExecuteAsync(context);
            return;
        }
        await _default.HandleAsync(next, context, policy, result);
    }
}

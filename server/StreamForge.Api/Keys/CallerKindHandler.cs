using Microsoft.AspNetCore.Authorization;

namespace StreamForge.Api.Keys;

/// <summary>Part of every authorization policy: non-session callers pass only where their kind's rule lets them.</summary>
public sealed class CallerKindRequirement : IAuthorizationRequirement;

public sealed class CallerKindHandler(IEnumerable<ICallerAccessRule> rules) : AuthorizationHandler<CallerKindRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, CallerKindRequirement requirement)
    {
        var kind = CallerKinds.Of(context.User);
        if (kind == CallerKinds.Session)
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }
        var http = context.Resource as HttpContext;
        var endpoint = http?.GetEndpoint() ?? context.Resource as Endpoint;
        var rule = rules.FirstOrDefault(r => r.Kind == kind);
        var refusal = rule is null ? $"Callers of kind '{kind}' cannot call this route." : rule.Refusal(context.User, endpoint, http);
        if (refusal is null) context.Succeed(requirement);
        else context.Fail(new AuthorizationFailureReason(this, refusal));
        return Task.CompletedTask;
    }
}

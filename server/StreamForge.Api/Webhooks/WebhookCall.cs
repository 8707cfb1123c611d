using System.Security.Claims;

namespace StreamForge.Api.Webhooks;

/// <summary>What the per-endpoint routes bind: the endpoint, the caller and the service.</summary>
public sealed record WebhookCall(Guid Id, ClaimsPrincipal Principal, WebhookService Webhooks, CancellationToken Ct);

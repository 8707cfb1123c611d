using System.Security.Claims;

namespace StreamForge.Api.Captions;

/// <summary>What DELETE /captions/{lang} binds: the route's video and language, the caller, the service.</summary>
public sealed record CaptionDeleteCall(Guid Id, string Lang, ClaimsPrincipal Principal, CaptionService Captions, CancellationToken Ct);

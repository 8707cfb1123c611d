using System.Security.Claims;

namespace StreamForge.Api.Videos;

/// <summary>What every lifecycle action on one video binds: the id from the route, the caller, the service.</summary>
public sealed record VideoActionCall(Guid Id, ClaimsPrincipal Principal, VideoService Videos, CancellationToken Ct);

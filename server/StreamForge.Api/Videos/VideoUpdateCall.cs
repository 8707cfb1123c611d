using System.Security.Claims;

namespace StreamForge.Api.Videos;

/// <summary>What PATCH /videos/{id} binds: the route's video, the new title and/or visibility, the caller, the service.</summary>
public sealed record VideoUpdateCall(Guid Id, UpdateVideoRequest Body, ClaimsPrincipal Principal, VideoService Videos, CancellationToken Ct);

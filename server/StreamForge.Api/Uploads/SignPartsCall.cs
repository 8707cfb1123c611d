using System.Security.Claims;

namespace StreamForge.Api.Uploads;

/// <summary>What POST /uploads/{videoId}/parts/sign binds: the route's upload, the part numbers asked for, the caller, the service.</summary>
public sealed record SignPartsCall(Guid VideoId, SignPartsRequest Body, ClaimsPrincipal Principal, UploadService Uploads, CancellationToken Ct);

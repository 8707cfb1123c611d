using System.Security.Claims;

namespace StreamForge.Api.Uploads;

/// <summary>What PUT /uploads/{videoId}/parts/{partNumber} binds: the route's upload and part, the recorded ETag, the caller, the service.</summary>
public sealed record RecordPartCall(
    Guid VideoId, int PartNumber, RecordPartRequest Body, ClaimsPrincipal Principal, UploadService Uploads, CancellationToken Ct);

using System.Security.Claims;
using Microsoft.Extensions.Options;
using StreamForge.Api.Auth;
using StreamForge.Api.DirectUploads;

namespace StreamForge.Api.Uploads;

/// <summary>What POST /uploads binds: the declared file, the caller (a user, or an upload link's token), the services, and whether sign-up requires a confirmed address.</summary>
public sealed record CreateUploadCall(
    CreateUploadRequest Body, ClaimsPrincipal Principal, UploadService Uploads, DirectUploadService DirectUploads, IOptions<AuthOptions> Auth, CancellationToken Ct);

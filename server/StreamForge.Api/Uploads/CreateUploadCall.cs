using System.Security.Claims;
using Microsoft.Extensions.Options;
using StreamForge.Api.Auth;

namespace StreamForge.Api.Uploads;

/// <summary>What POST /uploads binds: the declared file, the caller, the service, and whether sign-up requires a confirmed address.</summary>
public sealed record CreateUploadCall(
    CreateUploadRequest Body, ClaimsPrincipal Principal, UploadService Uploads, IOptions<AuthOptions> Auth, CancellationToken Ct);

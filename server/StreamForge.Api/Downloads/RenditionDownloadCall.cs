using System.Security.Claims;

namespace StreamForge.Api.Downloads;

/// <summary>What POST /downloads/{rendition} binds: the route's video and rung id, the caller, the service.</summary>
public sealed record RenditionDownloadCall(Guid Id, string Rendition, ClaimsPrincipal Principal, DownloadService Downloads, CancellationToken Ct);

using System.Security.Claims;
using Microsoft.Extensions.Options;
using StreamForge.Api.Auth;

namespace StreamForge.Api.Uploads;

/// <summary>What POST /uploads/from-url binds.</summary>
public sealed record UrlImportCall(
    UrlImportRequest Body, ClaimsPrincipal Principal, UrlImportService Imports, IOptions<AuthOptions> Auth, CancellationToken Ct);

using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;

namespace StreamForge.Api.Videos;

/// <summary>What GET /videos binds: the paging and sort query values, the caller, the service.</summary>
public sealed record VideoListCall(
    [FromQuery(Name = "page")] int? Page, [FromQuery(Name = "pageSize")] int? PageSize, [FromQuery(Name = "sort")] string? Sort,
    ClaimsPrincipal Principal, VideoService Videos, CancellationToken Ct);

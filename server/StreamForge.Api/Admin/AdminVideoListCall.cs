using Microsoft.AspNetCore.Mvc;

namespace StreamForge.Api.Admin;

/// <summary>What GET /admin/videos binds: the paging, status filter and sort query values, and the service.</summary>
public sealed record AdminVideoListCall(
    [FromQuery(Name = "page")] int? Page, [FromQuery(Name = "pageSize")] int? PageSize,
    [FromQuery(Name = "status")] string? Status, [FromQuery(Name = "sort")] string? Sort,
    AdminVideoService Videos, CancellationToken Ct);

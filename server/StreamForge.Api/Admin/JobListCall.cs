using Microsoft.AspNetCore.Mvc;

namespace StreamForge.Api.Admin;

/// <summary>What GET /admin/jobs binds: the state and paging query values, the dashboard.</summary>
public sealed record JobListCall(
    [FromQuery(Name = "state")] string? State, [FromQuery(Name = "page")] int? Page, [FromQuery(Name = "pageSize")] int? PageSize,
    JobDashboard Dashboard, CancellationToken Ct);

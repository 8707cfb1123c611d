using Microsoft.AspNetCore.Http.HttpResults;
using StreamForge.Api.Auth;

namespace StreamForge.Api.Admin;

/// <summary>Key figures for the admin dashboard; <see cref="AdminStatsService"/> reads them.</summary>
public static class AdminStatsApi
{
    public static RouteGroupBuilder MapAdminStatsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/admin").WithTags("Admin").RequireAuthorization(AuthSetup.AdminPolicy);
        group.MapGet("/stats", Stats).WithName("AdminStats")
            .WithSummary("Storage use (total and largest accounts), queue depth, workers, open uploads and the last day's job outcomes");
        return group;
    }

    private static async Task<Ok<AdminStats>> Stats(AdminStatsService stats, CancellationToken ct) => TypedResults.Ok(await stats.ReadAsync(ct));
}

using Microsoft.Extensions.Diagnostics.HealthChecks;
using StreamForge.Core.Storage;

namespace StreamForge.Api.Health;

public sealed class StorageHealthCheck(IStorageGateway storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await storage.PingAsync(ct);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("storage unreachable", e);
        }
    }
}

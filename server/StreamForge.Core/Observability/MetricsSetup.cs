using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace StreamForge.Core.Observability;

public static class MetricsSetup
{
    /// <summary>
    /// The meter and the queue gauges, for the API and the worker alike; <paramref name="configure"/> sets what only
    /// one host knows (the worker's job slots). Exporting is <see cref="AddStreamForgeMetricsExporter"/>.
    /// </summary>
    public static IServiceCollection AddStreamForgeMetrics(
        this IServiceCollection services, IConfiguration configuration, Action<IServiceProvider, StreamForgeMetrics>? configure = null)
    {
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.Section))
            .PostConfigure(o => { if (o.AllowedNetworks.Length == 0) o.AllowedNetworks = MetricsOptions.DefaultNetworks; });
        services.AddSingleton<QueueStats>();
        services.AddSingleton(sp =>
        {
            var metrics = new StreamForgeMetrics(sp.GetRequiredService<QueueStats>());
            configure?.Invoke(sp, metrics);
            return metrics;
        });
        return services;
    }

    /// <summary>
    /// An OpenTelemetry meter provider with the Prometheus exporter over the process-wide meter: in the API's own
    /// services, and in the worker's small health listener app (which serves its /metrics).
    /// </summary>
    public static IServiceCollection AddStreamForgeMetricsExporter(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(m => m.AddMeter(StreamForgeMetrics.MeterName).AddPrometheusExporter());
        return services;
    }

    /// <summary>Parses the configured networks once; a typo fails start-up instead of opening or closing /metrics silently.</summary>
    public static IReadOnlyList<IPNetwork> ParseNetworks(IEnumerable<string> networks) =>
        networks.Select(n => IPNetwork.TryParse(n.Trim(), out var net) ? net
            : IPAddress.TryParse(n.Trim(), out var ip) ? new IPNetwork(ip, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
            : throw new InvalidOperationException($"Metrics:AllowedNetworks has '{n}', which is neither an address nor a CIDR network.")).ToList();

    public static bool IsAllowed(IPAddress? remote, IReadOnlyList<IPNetwork> networks)
    {
        if (remote is null) return false;
        if (remote.IsIPv4MappedToIPv6) remote = remote.MapToIPv4();
        return networks.Any(n => n.Contains(remote));
    }
}

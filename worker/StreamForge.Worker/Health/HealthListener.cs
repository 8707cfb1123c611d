using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Npgsql;
using StreamForge.Core.Observability;
using StreamForge.Core.Storage;
using StreamForge.Media;

namespace StreamForge.Worker.Health;

/// <summary>
/// A small Kestrel listener beside the job engine: /health/live, /health/ready (database, storage and ffmpeg
/// reachable) and /metrics (Prometheus). It has its own meter provider, which reads the same process-wide meter.
/// </summary>
public sealed class HealthListener(IServiceProvider services, StreamForgeMetrics metrics, IOptions<WorkerHealthOptions> options, IOptions<MediaToolsOptions> tools, ILogger<HealthListener> log) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    public Uri? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _ = metrics; // created now, so the gauges exist from the first scrape on
        var o = options.Value;
        var host = IPAddress.Parse(o.HealthHost == "localhost" ? "127.0.0.1" : o.HealthHost);
        var attempts = o.HealthPort == 0 ? 1 : Math.Max(1, o.HealthPortAttempts);
        for (var i = 0; i < attempts; i++)
        {
            var port = o.HealthPort == 0 ? 0 : o.HealthPort + i;
            var app = Build(host, port);
            try
            {
                await app.StartAsync(cancellationToken);
                _app = app;
                Address = new Uri(app.Urls.First());
                log.LogInformation("Health listener on {Address}", Address);
                return;
            }
            catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await app.DisposeAsync();
            }
        }
        throw new StartupCheckException($"No free port for the health listener in {o.HealthHost}:{o.HealthPort}-{o.HealthPort + attempts - 1}; set Worker__HealthPort.");
    }

    private WebApplication Build(IPAddress host, int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(host, port));
        builder.Services.AddStreamForgeMetricsExporter();
        var app = builder.Build();
        app.MapGet("/health/live", () => Results.Text("Healthy"));
        app.MapGet("/health/ready", async (CancellationToken ct) =>
        {
            var failures = await ReadinessFailuresAsync(ct);
            return failures.Count == 0 ? Results.Text("Healthy")
                : Results.Problem(statusCode: 503, title: "Not ready", detail: string.Join("; ", failures));
        });
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    private async Task<List<string>> ReadinessFailuresAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var failures = new List<string>();
        try
        {
            await using var cmd = services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT 1");
            await cmd.ExecuteScalarAsync(timeout.Token);
        }
        catch (Exception e) { failures.Add($"database unreachable: {e.GetType().Name}"); }
        try { await services.GetRequiredService<IStorageGateway>().PingAsync(timeout.Token); }
        catch (Exception e) { failures.Add($"storage unreachable: {(e is StorageException s ? s.Failure.ToString() : e.GetType().Name)}"); }
        try { await StartupChecks.CheckToolAsync(tools.Value.FfmpegPath, "ffmpeg", "Media__FfmpegPath", timeout.Token); }
        catch (Exception e) { failures.Add(e is StartupCheckException ? e.Message : $"ffmpeg not runnable: {e.GetType().Name}"); }
        return failures;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null) await _app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}

using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using StreamForge.Api.Videos;
using StreamForge.Core.Observability;
using StreamForge.Core.Videos;

namespace StreamForge.Api.Operations;

/// <summary>Metrics, CORS for split-origin deployments: what running the API at scale needs.</summary>
public static class OperationsSetup
{
    public static IServiceCollection AddStreamForgeOperations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddStreamForgeMetrics(configuration).AddStreamForgeMetricsExporter();
        var cors = configuration.GetSection(CorsOptions.Section).Get<CorsOptions>() ?? new CorsOptions();
        services.AddOptions<CorsOptions>().Bind(configuration.GetSection(CorsOptions.Section));
        var origins = cors.AllowedOrigins.Where(o => !string.IsNullOrWhiteSpace(o)).Select(o => o.Trim().TrimEnd('/')).ToArray();
        foreach (var origin in origins)
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https") || u.AbsolutePath != "/")
                throw new InvalidOperationException($"Cors:AllowedOrigins has '{origin}': expected an origin such as https://app.example.com.");
        // Credentials are allowed because the SPA authenticates with cookies; that is why origins must be listed, never '*'.
        services.AddCors(o => o.AddPolicy(CorsOptions.PolicyName, p => p.WithOrigins(origins).AllowAnyMethod().AllowAnyHeader()
            .AllowCredentials().WithExposedHeaders("Location").SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        return services;
    }

    /// <summary>Times every request (by route template, so ids don't explode the label set) and applies CORS.</summary>
    public static WebApplication UseStreamForgeOperations(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<StreamForgeMetrics>();
        app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try { await next(); }
            finally
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
                metrics.HttpRequest(route, context.Request.Method, context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
        });
        app.UseCors(CorsOptions.PolicyName);
        return app;
    }

    /// <summary>
    /// Prometheus text at /metrics for clients in <see cref="MetricsOptions.AllowedNetworks"/>; others get a 404
    /// problem, so the endpoint's existence is not advertised to the internet.
    /// </summary>
    public static void MapStreamForgeMetrics(this WebApplication app)
    {
        var networks = MetricsSetup.ParseNetworks(app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.AllowedNetworks);
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/metrics") && !MetricsSetup.IsAllowed(c.Connection.RemoteIpAddress, networks),
            branch => branch.Run(c => Results.Problem(statusCode: 404, title: "Not Found").ExecuteAsync(c)));
        app.MapPrometheusScrapingEndpoint("/metrics");
    }

    /// <summary>Counts upload outcomes from the typed results of the uploads endpoints, leaving their code untouched.</summary>
    public static RouteGroupBuilder WithUploadMetrics(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (ctx, next) =>
        {
            var result = await next(ctx);
            var metrics = ctx.HttpContext.RequestServices.GetRequiredService<StreamForgeMetrics>();
            var name = ctx.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
            var inner = result is INestedHttpResult nested ? nested.Result : result as IResult;
            switch (name, inner)
            {
                case ("CreateUpload", IStatusCodeHttpResult { StatusCode: 201 }): metrics.UploadCreated(); break;
                case ("SignParts", IValueHttpResult { Value: Array parts }): metrics.PartUrlsSigned(parts.Length); break;
                case ("CompleteUpload", Accepted<VideoDto> accepted): metrics.UploadCompleted(accepted.Value?.SizeBytes ?? 0); break;
                case ("CompleteUpload", IStatusCodeHttpResult { StatusCode: >= 400 }): metrics.UploadFailed("complete_refused"); break;
                case ("AbortUpload", IStatusCodeHttpResult { StatusCode: 204 }): metrics.UploadFailed("aborted"); break;
            }
            return result;
        });
        return group;
    }
}

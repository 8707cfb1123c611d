using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Quartz;
using StreamForge.Api.Me;
using StreamForge.Api.Admin;
using StreamForge.Api.Auth;
using StreamForge.Api.Captions;
using StreamForge.Api.DirectUploads;
using StreamForge.Api.Downloads;
using StreamForge.Api.Posters;
using StreamForge.Api.Email;
using StreamForge.Api.Events;
using StreamForge.Api.Health;
using StreamForge.Api.Infrastructure;
using StreamForge.Api.Keys;
using StreamForge.Api.Operations;
using StreamForge.Api.Playback;
using StreamForge.Api.Uploads;
using StreamForge.Api.Videos;
using StreamForge.Api.Web;
using StreamForge.Api.Watch;
using StreamForge.Api.Webhooks;
using StreamForge.Core;
using StreamForge.Core.Configuration;
using StreamForge.Core.Data;
using StreamForge.Core.Processing;

var builder = WebApplication.CreateBuilder(args);
var services = builder.Services;
var config = builder.Configuration;
config.AddStandardAliases();

services.AddStreamForgeCore(config);
services.AddStreamForgeAuth(config);
services.AddStreamForgeApiKeys(config);
services.AddStreamForgeDirectUploads(config);
services.AddStreamForgeEmail(config);
services.AddStreamForgeHttpSecurity(config);
services.AddStreamForgeOperations(config);
services.AddStreamForgePlayback(config);
services.AddStreamForgeWatch();
services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx => ctx.ProblemDetails.Detail ??= Problems.DefaultDetail(ctx.HttpContext.Response.StatusCode));
services.AddExceptionHandler<ProblemExceptionHandler>();
services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
services.AddEndpointsApiExplorer();
services.AddSwaggerGen(o =>
{
    o.SwaggerDoc("v1", new() { Title = "StreamForge API", Version = "v1" });
    // The SPA's types are generated from this document: non-nullable reference types must not read as nullable.
    o.SupportNonNullableReferenceTypes();
    o.AddApiKeySecurity();
});
services.AddHealthChecks()
    .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
    .AddCheck<StorageHealthCheck>("storage", tags: ["ready"]);

services.AddSingleton<VideoEventHub>();
services.AddSingleton<EventStreamLimiter>();
services.AddOptions<EventsOptions>().Bind(config.GetSection(EventsOptions.Section));
services.AddHostedService(sp => sp.GetRequiredService<VideoEventHub>());
services.AddScoped<VideoRemoval>();
services.AddScoped<VideoRequeue>();
services.AddScoped<VideoService>();
services.AddScoped<AdminVideoService>();
services.AddScoped<AdminUserService>();
services.AddScoped<AdminStatsService>();
services.AddScoped<AccountService>();
services.AddScoped<UploadService>();
services.AddScoped<WebhookService>();
services.AddScoped<UrlImportService>();
services.AddScoped<JobDashboard>();
services.AddSingleton<CaptionPublisher>();
services.AddScoped<CaptionService>();
services.AddScoped<DownloadService>();
services.AddScoped<PosterService>();
services.AddScoped<WatchPages>();
services.AddOptions<PosterOptions>().Bind(config.GetSection(PosterOptions.Section));
services.AddOptions<CaptionOptions>().Bind(config.GetSection(CaptionOptions.Section));
services.AddOptions<DownloadOptions>().Bind(config.GetSection(DownloadOptions.Section));
services.AddOptions<WebOptions>().Bind(config.GetSection(WebOptions.Section));

// The API only schedules: its scheduler node serves no execution group, so it never runs a transcode,
// but starting it provisions the Quartz schema and lets it take part in cluster recovery.
var jobs = config.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
services.AddQuartz(q => q.UseStreamForgeStore(CoreServiceCollectionExtensions.RequireConnectionString(config), jobs, maxConcurrency: 1));
services.AddQuartzHostedService(o => o.WaitForJobsToComplete = false);

var app = builder.Build();

// Fail at start-up, not on the first request: outside development a missing, placeholder or weak signing key,
// the development admin password or a default database/storage credential stop the process here with the reason.
SecretChecks.EnforceOutsideDevelopment(app.Configuration, app.Environment, requirePlaybackSecret: true);
app.Services.GetRequiredService<SigningKeyProvider>();
if (!app.Environment.IsDevelopment())
    foreach (var warning in SecretChecks.FindWarnings(app.Configuration)) app.Logger.LogWarning("{Warning}", warning);
EmailSetup.WarnAboutConfiguration(app.Services);

await using (var scope = app.Services.CreateAsyncScope())
{
    await SchemaMigration.MigrateAsync(scope.ServiceProvider);
    await AdminSeeder.SeedAsync(scope.ServiceProvider);
}
// Kubernetes runs migrations once per release as a Job (deploy/k8s/base/migrate-job.yaml).
if (args.Contains("--migrate-only")) return;

// ASP.NET treats an empty proxy list as "trust every sender", so without a configured proxy the middleware stays
// out: otherwise any client could name its own address and walk past per-address limits and the /metrics check.
if (ProxyOptions.TrustsAnyProxy(config)) app.UseForwardedHeaders();
if (!app.Environment.IsDevelopment()) app.UseHsts();
app.UseStreamForgeSecurityHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseDirectUploadCors();
app.UseStreamForgeOperations();
app.UseSpaFiles();
app.UseAuthentication();
app.UseDirectUploadGate();
app.UseApiDocs();
app.UseCsrfHeaderCheck();
app.UseAuthorization();
app.UseAccountRequestLimit();
app.UseRateLimiter();

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
app.MapAuthApi();
app.MapAccountRecoveryApi();
app.MapMeApi();
app.MapKeysApi();
app.MapUploadsApi().WithUploadMetrics();
app.MapDirectUploadsApi();
app.MapVideosApi();
app.MapCaptionsApi();
app.MapDownloadsApi();
app.MapPostersApi();
app.MapEventsApi();
app.MapWebhooksApi();
app.MapAdminApi();
app.MapAdminStatsApi();
app.MapPlaybackApi();
app.MapWatchApi();
app.MapStreamForgeMetrics();
if (app.Environment.IsDevelopment()) app.MapDevOutbox();
app.MapSpaFallback();

app.Run();

public partial class Program;

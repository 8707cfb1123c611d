using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Quartz;
using StreamForge.Api.Accounts;
using StreamForge.Api.Admin;
using StreamForge.Api.Auth;
using StreamForge.Api.Events;
using StreamForge.Api.Health;
using StreamForge.Api.Infrastructure;
using StreamForge.Api.Uploads;
using StreamForge.Api.Videos;
using StreamForge.Api.Web;
using StreamForge.Core;
using StreamForge.Core.Data;
using StreamForge.Core.Processing;

var builder = WebApplication.CreateBuilder(args);
var services = builder.Services;
var config = builder.Configuration;

services.AddStreamForgeCore(config);
services.AddStreamForgeAuth(config);
services.AddProblemDetails();
services.AddExceptionHandler<ProblemExceptionHandler>();
services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
services.AddEndpointsApiExplorer();
services.AddSwaggerGen(o => o.SwaggerDoc("v1", new() { Title = "StreamForge API", Version = "v1" }));
services.AddHealthChecks()
    .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
    .AddCheck<StorageHealthCheck>("storage", tags: ["ready"]);

services.AddSingleton<VideoEventHub>();
services.AddHostedService(sp => sp.GetRequiredService<VideoEventHub>());
services.AddSingleton<VideoMapper>();
services.AddScoped<VideoRemoval>();
services.AddScoped<VideoRequeue>();
services.AddScoped<JobDashboard>();
services.AddOptions<WebOptions>().Bind(config.GetSection(WebOptions.Section));

// The API only schedules: its scheduler node serves no execution group, so it never runs a transcode,
// but starting it provisions the Quartz schema and lets it take part in cluster recovery.
var jobs = config.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
services.AddQuartz(q => q.UseStreamForgeStore(CoreServiceCollectionExtensions.RequireConnectionString(config), jobs, maxConcurrency: 1));
services.AddQuartzHostedService(o => o.WaitForJobsToComplete = false);

var app = builder.Build();

await using (var scope = app.Services.CreateAsyncScope())
{
    await SchemaMigration.MigrateAsync(scope.ServiceProvider);
    await AdminSeeder.SeedAsync(scope.ServiceProvider);
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseSwagger();
app.UseSwaggerUI(o =>
{
    o.RoutePrefix = "docs";
    o.SwaggerEndpoint("/swagger/v1/swagger.json", "StreamForge API v1");
});
app.UseSpaFiles();
app.UseAuthentication();
app.UseCsrfHeaderCheck();
app.UseAuthorization();
app.UseRateLimiter();

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
app.MapAuthApi();
app.MapMeApi();
app.MapUploadsApi();
app.MapVideosApi();
app.MapEventsApi();
app.MapAdminApi();
app.MapSpaFallback();

app.Run();

public partial class Program;

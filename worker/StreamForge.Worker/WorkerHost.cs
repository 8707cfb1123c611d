using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;
using StreamForge.Core;
using StreamForge.Core.Configuration;
using StreamForge.Core.Observability;
using StreamForge.Core.Data;
using StreamForge.Core.Imports;
using StreamForge.Core.Processing;
using StreamForge.Core.Webhooks;
using StreamForge.Media;
using StreamForge.Worker.Downloads;
using StreamForge.Worker.Posters;
using StreamForge.Worker.Health;
using StreamForge.Worker.Imports;
using StreamForge.Worker.Maintenance;
using StreamForge.Worker.Processing;
using StreamForge.Worker.Webhooks;

namespace StreamForge.Worker;

/// <summary>Builds the worker host; Program runs it, tests start several in one process.</summary>
public static class WorkerHost
{
    public static HostApplicationBuilder CreateBuilder(string[] args, IDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Configuration.AddStandardAliases();
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        var services = builder.Services;
        var config = builder.Configuration;

        services.AddStreamForgeCore(config);
        services.AddOptions<WorkerOptions>().Bind(config.GetSection(WorkerOptions.Section));
        services.AddOptions<MediaToolsOptions>().Bind(config.GetSection(MediaToolsOptions.SectionName));
        services.AddSingleton(sp => new MediaProcessor(sp.GetRequiredService<IOptions<MediaToolsOptions>>().Value));
        services.AddSingleton(sp => new RenditionRemuxer(sp.GetRequiredService<IOptions<MediaToolsOptions>>().Value));
        services.AddSingleton<OutputPublisher>();
        services.AddSingleton<RemuxPipeline>();
        services.AddSingleton(sp => new PosterMaker(sp.GetRequiredService<IOptions<MediaToolsOptions>>().Value));
        services.AddSingleton<PosterPipeline>();
        services.AddSingleton<StreamForge.Worker.Visibility.MediaMove>();
        // Scoped: Quartz resolves each job in its own scope, so a run gets its own DbContext.
        services.AddScoped<TranscodePipeline>();
        services.AddScoped<RunEndings>();
        services.AddScoped<JobRunRecorder>();
        services.AddScoped<UserAdmission>();
        services.AddScoped<RunStart>();
        services.AddScoped<UrlImportPipeline>();
        services.AddOptions<UserProcessingOptions>().Bind(config.GetSection(UserProcessingOptions.Section));
        services.AddSingleton<RunningJobs>();
        services.AddHostedService<JobWakeListener>();
        services.AddHostedService<JobStopListener>();
        services.AddStreamForgeMetrics(config, (sp, m) => m.SetJobSlots(sp.GetRequiredService<IOptions<WorkerOptions>>().Value.EffectiveConcurrency));
        services.AddOptions<WorkerHealthOptions>().Bind(config.GetSection(WorkerHealthOptions.Section));
        services.AddSingleton<HealthListener>();
        services.AddHostedService(sp => sp.GetRequiredService<HealthListener>());

        var worker = config.GetSection(WorkerOptions.Section).Get<WorkerOptions>() ?? new WorkerOptions();
        var jobs = config.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        var imports = config.GetSection(ImportOptions.Section).Get<ImportOptions>() ?? new ImportOptions();
        var importSlots = Math.Max(1, imports.MaxConcurrentPerWorker);
        services.AddQuartz(q =>
        {
            // A thread each beyond the transcodes for maintenance, download remuxes and webhook deliveries, so none
            // waits behind a long transcode (a remux copies files for seconds; a webhook is due now); and threads of
            // their own for imports, which wait on the network for minutes.
            q.UseStreamForgeStore(CoreServiceCollectionExtensions.RequireConnectionString(config), jobs,
                worker.EffectiveConcurrency + 3 + importSlots, ProcessingJobs.TranscodeGroup, ProcessingJobs.MaintenanceGroup, ProcessingJobs.RemuxGroup,
                WebhookDispatch.Group, ProcessingJobs.ImportGroup);
            // The pool has spare threads for maintenance, remuxes and webhooks; without this limit they would take
            // transcodes too, and a node would run EffectiveConcurrency + 3 of them while an idle node waits.
            q.UseExecutionLimits(limits =>
            {
                limits.ForGroup(ProcessingJobs.TranscodeGroup, worker.EffectiveConcurrency);
                limits.ForGroup(ProcessingJobs.ImportGroup, importSlots);
            });
            q.AddSchedulerListener<SchedulerStartedLog>();
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        // Registered after Quartz so it stops first (hosted services stop in reverse order).
        services.AddSingleton<WorkerShutdown>();
        services.AddHostedService(sp => sp.GetRequiredService<WorkerShutdown>());
        // The host must outwait the grace period, or it would abandon a transcode still cleaning up.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = worker.ShutdownGrace + TimeSpan.FromSeconds(15));
        services.AddHostedService<MaintenanceScheduler>();
        services.AddHostedService<WebhookDispatchScheduler>();
        return builder;
    }

    public static async Task MigrateAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        await SchemaMigration.MigrateAsync(scope.ServiceProvider);
    }
}

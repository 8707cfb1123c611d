using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StreamForge.Core.Quota;
using StreamForge.Core.Data;
using StreamForge.Core.Events;
using StreamForge.Core.Imports;
using StreamForge.Core.Maintenance;
using StreamForge.Core.Playback;
using StreamForge.Core.Processing;
using StreamForge.Core.Storage;
using StreamForge.Core.Uploads;
using StreamForge.Core.Videos;
using StreamForge.Core.Webhooks;

namespace StreamForge.Core;

public static class CoreServiceCollectionExtensions
{
    public const string ConnectionStringName = "Postgres";

    /// <summary>Everything the API and the worker share: options, database, storage, events, the job queue.</summary>
    public static IServiceCollection AddStreamForgeCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section));
        services.AddOptions<UploadOptions>().Bind(configuration.GetSection(UploadOptions.Section));
        services.AddOptions<VideoLifecycleOptions>().Bind(configuration.GetSection(VideoLifecycleOptions.Section));
        services.AddOptions<ImportOptions>().Bind(configuration.GetSection(ImportOptions.Section));
        services.AddOptions<QuotaOptions>().Bind(configuration.GetSection(QuotaOptions.Section));
        services.AddOptions<JobsOptions>().Bind(configuration.GetSection(JobsOptions.Section))
            .PostConfigure(o => { if (o.RetryDelays.Length == 0) o.RetryDelays = JobsOptions.DefaultRetryDelays; });
        services.AddOptions<PlaybackOptions>().Bind(configuration.GetSection(PlaybackOptions.Section))
            .PostConfigure(o =>
            {
                o.CdnUrl ??= configuration["CDN_URL"];
                // The name the CDN's config reads too; hosts that pass settings rather than variables (tests) use it as a key.
                if (string.IsNullOrEmpty(o.TokenSecret)) o.TokenSecret = configuration["PLAYBACK_TOKEN_SECRET"];
            });
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section));

        var connectionString = RequireConnectionString(configuration);
        services.AddSingleton(_ => BuildDataSource(connectionString));
        // Pooled: a context per request was ~9% of the API's CPU on the part-signing hot path.
        services.AddDbContextPool<StreamForgeDbContext>((sp, o) => o
            .UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>())
            // Migrations are hand-written (no design-time package here), so there is no model snapshot.
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning)));

        services.AddSingleton<IStorageGateway, S3StorageGateway>();
        services.AddSingleton<MediaUrls>();
        services.AddSingleton<MediaLocks>();
        services.AddSingleton<IVideoEventPublisher, PostgresVideoEventPublisher>();
        services.AddSingleton<IProcessingQueue, QuartzProcessingQueue>();
        services.AddScoped<QuotaLedger>();
        services.AddScoped<QuotaAudit>();
        services.AddScoped<VideoLifecycle>();
        services.AddSingleton<VideoMapper>();
        services.AddScoped<VideoViews>();
        services.AddSingleton<WebhookDispatch>();
        services.AddScoped<WebhookOutbox>();
        services.AddScoped<UploadExpiry>();
        services.AddScoped<RecordTrims>();
        services.AddScoped<ImportReservations>();
        services.AddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>
    /// Prepares hot statements automatically unless the connection string says otherwise: planning the
    /// upload-session lookup cost more than running it.
    /// </summary>
    private static NpgsqlDataSource BuildDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0) builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
        return builder.Build();
    }

    public static string RequireConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException("ConnectionStrings:Postgres is not set (env ConnectionStrings__Postgres).");
}

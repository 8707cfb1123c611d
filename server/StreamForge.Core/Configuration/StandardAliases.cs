using System.Collections;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace StreamForge.Core.Configuration;

/// <summary>
/// Accepts the names platforms and tools set by convention (Heroku/Render's DATABASE_URL, the AWS SDK's
/// AWS_* variables, S3_BUCKET, S3_ENDPOINT, CDN_URL, and PLAYBACK_TOKEN_SECRET, which the CDN's config reads by that name too) as aliases of our own settings. The explicit form
/// (e.g. <c>ConnectionStrings__Postgres</c>) wins when both are set, so an alias never silently overrides it.
/// </summary>
public static class StandardAliases
{
    /// <summary>Alias → (configuration key it feeds, the explicit environment variable that takes precedence).</summary>
    public static readonly IReadOnlyList<(string Alias, string Key)> Map =
    [
        ("DATABASE_URL", "ConnectionStrings:Postgres"),
        ("AWS_ACCESS_KEY_ID", "Storage:AccessKey"),
        ("AWS_SECRET_ACCESS_KEY", "Storage:SecretKey"),
        ("AWS_REGION", "Storage:Region"),
        ("S3_BUCKET", "Storage:Bucket"),
        ("S3_ENDPOINT", "Storage:ServiceUrl"),
        ("CDN_URL", "Playback:CdnUrl"),
        ("PLAYBACK_TOKEN_SECRET", "Playback:TokenSecret"),
    ];

    /// <summary>Adds the alias source last, so aliases beat appsettings defaults but not explicit settings.</summary>
    public static IConfigurationBuilder AddStandardAliases(this IConfigurationBuilder builder, IDictionary? environment = null) =>
        builder.Add(new AliasSource(environment));

    /// <summary>The settings the aliases in <paramref name="environment"/> stand for.</summary>
    public static Dictionary<string, string?> Resolve(IDictionary environment)
    {
        var env = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry e in environment)
            if (e.Key is string k && e.Value is string v) env[k] = v;

        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (alias, key) in Map)
        {
            if (!env.TryGetValue(alias, out var value) || string.IsNullOrWhiteSpace(value)) continue;
            if (env.TryGetValue(key.Replace(":", "__"), out var explicitValue) && !string.IsNullOrEmpty(explicitValue)) continue;
            result[key] = alias == "DATABASE_URL" ? PostgresUrlToConnectionString(value) : value.Trim();
        }
        return result;
    }

    /// <summary>
    /// postgres://user:password@host:port/database?sslmode=require → an Npgsql connection string. Query
    /// parameters are passed through as keywords (sslmode → SSL Mode), so providers' URLs keep their TLS settings.
    /// </summary>
    public static string PostgresUrlToConnectionString(string url)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("postgres" or "postgresql"))
            throw new InvalidOperationException("DATABASE_URL must look like postgres://user:password@host:5432/database.");
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host, Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port };
        var database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (database.Length > 0) builder.Database = database;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':');
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0) builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            var keyword = name.ToLowerInvariant() switch
            {
                "sslmode" => "SSL Mode",
                "application_name" => "Application Name",
                "connect_timeout" => "Timeout",
                _ => name,
            };
            try { builder[keyword] = value; }
            catch (ArgumentException e) { throw new InvalidOperationException($"DATABASE_URL has an unsupported parameter '{name}'.", e); }
        }
        return builder.ConnectionString;
    }

    private sealed class AliasSource(IDictionary? environment) : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => new AliasProvider(environment);
    }

    private sealed class AliasProvider(IDictionary? environment) : ConfigurationProvider
    {
        public override void Load() => Data = Resolve(environment ?? Environment.GetEnvironmentVariables());
    }
}

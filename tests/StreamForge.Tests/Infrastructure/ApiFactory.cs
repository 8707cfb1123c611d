using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace StreamForge.Tests.Infrastructure;

/// <summary>
/// The real API in-process against the fixture's PostgreSQL and S3 server. Each factory gets its own
/// database (cloned by name), so test classes do not see each other's rows. Tests get one from
/// <see cref="StackFixture.Api"/> (shared) or <see cref="StackFixture.NewApi"/> (their own), not by constructing it.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string> _settings;
    private readonly string _environment;
    public string ConnectionString { get; }

    /// <summary>The clock the API reads, when the test drives time itself (null: the system clock).</summary>
    public FakeTimeProvider? Clock { get; }

    public ApiFactory(StackFixture stack, IDictionary<string, string>? overrides = null, string environment = "Development", FakeTimeProvider? clock = null)
    {
        _environment = environment;
        Clock = clock;
        ConnectionString = CreateDatabase(stack.ConnectionString);
        _settings = stack.Env.ToDictionary(kv => kv.Key.Replace("__", ":"), kv => kv.Value);
        _settings["ConnectionStrings:Postgres"] = ConnectionString;
        // Small files exercise multipart (S3's minimum part is 5 MiB) and tests run fast.
        _settings["Uploads:MultipartThresholdBytes"] = (5 * 1024 * 1024).ToString();
        _settings["Uploads:PartSizeBytes"] = (5 * 1024 * 1024).ToString();
        // Tests sign up and in far faster than a person; the limits have tests of their own.
        _settings["Auth:LoginAttemptsPerMinute"] = "1000";
        _settings["Auth:RegistrationsPerMinute"] = "1000";
        _settings["Auth:RefreshesPerMinute"] = "1000";
        _settings["Auth:PasswordChangesPerMinute"] = "1000";
        _settings["Auth:AccountMailRequestsPerMinute"] = "1000";
        _settings["Playback:ViewReportsPerMinute"] = "1000";
        _settings["Web:DistPath"] = "";
        // The stack hands the secret to the CDN and the API by its conventional name; here it is a setting.
        if (stack.Env.TryGetValue("PLAYBACK_TOKEN_SECRET", out var playbackSecret)) _settings["Playback:TokenSecret"] = playbackSecret;
        foreach (var (k, v) in overrides ?? new Dictionary<string, string>()) _settings[k] = v;
        if (overrides?.TryGetValue("ConnectionStrings:Postgres", out var shared) == true) ConnectionString = shared;
    }

    /// <summary>TestServer has no socket: this setting gives every request the client address Kestrel would see.</summary>
    public const string RemoteAddressSetting = "Test:RemoteAddress";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        foreach (var (k, v) in _settings) builder.UseSetting(k, v);
        if (Clock is { } clock) builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock));
        if (_settings.TryGetValue(RemoteAddressSetting, out var address))
            builder.ConfigureServices(s => s.AddSingleton<IStartupFilter>(new RemoteAddressFilter(System.Net.IPAddress.Parse(address))));
    }

    private sealed class RemoteAddressFilter(System.Net.IPAddress address) : IStartupFilter
    {
        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            app.Use((ctx, n) => { ctx.Connection.RemoteIpAddress = address; return n(ctx); });
            next(app);
        };
    }

    private static string CreateDatabase(string adminConnectionString)
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..12];
        using (var conn = new NpgsqlConnection(adminConnectionString))
        {
            conn.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", conn);
            cmd.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ConnectionString;
    }
}

using System.Collections;
using Microsoft.Extensions.Configuration;
using Npgsql;
using StreamForge.Core.Configuration;
using StreamForge.Core.Observability;

namespace StreamForge.Tests.Operations;

public sealed class StandardAliasesTests
{
    private static IConfiguration Build(Dictionary<string, string?> defaults, Hashtable env) =>
        new ConfigurationBuilder().AddInMemoryCollection(defaults).AddStandardAliases(env).Build();

    [Fact]
    public void Database_url_becomes_an_npgsql_connection_string_with_escapes_and_ssl_mode()
    {
        var cs = StandardAliases.PostgresUrlToConnectionString("postgres://app%40prod:p%3Ass%2Fw@db.example.com:6543/stream_forge?sslmode=require");
        var parsed = new NpgsqlConnectionStringBuilder(cs);
        Assert.Equal("db.example.com", parsed.Host);
        Assert.Equal(6543, parsed.Port);
        Assert.Equal("stream_forge", parsed.Database);
        Assert.Equal("app@prod", parsed.Username);
        Assert.Equal("p:ss/w", parsed.Password);
        Assert.Equal(SslMode.Require, parsed.SslMode);
    }

    [Fact]
    public void Database_url_without_port_uses_5432_and_postgresql_scheme_is_accepted()
    {
        var parsed = new NpgsqlConnectionStringBuilder(StandardAliases.PostgresUrlToConnectionString("postgresql://u:p@localhost/db"));
        Assert.Equal(5432, parsed.Port);
        Assert.Equal("u", parsed.Username);
    }

    [Theory]
    [InlineData("mysql://u:p@h/db")]
    [InlineData("not a url")]
    [InlineData("postgres://u:p@h/db?nonsense_option=1")]
    public void A_bad_database_url_is_refused_with_a_message_naming_the_variable(string url)
    {
        var e = Assert.Throws<InvalidOperationException>(() => StandardAliases.PostgresUrlToConnectionString(url));
        Assert.Contains("DATABASE_URL", e.Message);
    }

    [Fact]
    public void Aliases_fill_the_settings_and_beat_appsettings_defaults()
    {
        var config = Build(new() { ["Storage:Bucket"] = "streamforge", ["Storage:Region"] = "us-east-1" }, new Hashtable
        {
            ["DATABASE_URL"] = "postgres://u:p@db:5432/app",
            ["AWS_ACCESS_KEY_ID"] = "AKIA1",
            ["AWS_SECRET_ACCESS_KEY"] = "secret",
            ["AWS_REGION"] = "eu-central-1",
            ["S3_BUCKET"] = "videos",
            ["S3_ENDPOINT"] = "https://acc.r2.cloudflarestorage.com",
            ["CDN_URL"] = "https://cdn.example.com",
        });
        Assert.Equal("db", new NpgsqlConnectionStringBuilder(config.GetConnectionString("Postgres")).Host);
        Assert.Equal("AKIA1", config["Storage:AccessKey"]);
        Assert.Equal("secret", config["Storage:SecretKey"]);
        Assert.Equal("eu-central-1", config["Storage:Region"]);
        Assert.Equal("videos", config["Storage:Bucket"]);
        Assert.Equal("https://acc.r2.cloudflarestorage.com", config["Storage:ServiceUrl"]);
        Assert.Equal("https://cdn.example.com", config["Playback:CdnUrl"]);
    }

    [Fact]
    public void An_explicit_setting_wins_over_its_alias()
    {
        var env = new Hashtable { ["S3_BUCKET"] = "alias-bucket", ["Storage__Bucket"] = "explicit-bucket", ["DATABASE_URL"] = "postgres://u:p@alias/db", ["ConnectionStrings__Postgres"] = "Host=explicit" };
        var resolved = StandardAliases.Resolve(env);
        Assert.False(resolved.ContainsKey("Storage:Bucket"));
        Assert.False(resolved.ContainsKey("ConnectionStrings:Postgres"));
        // Blank aliases are ignored rather than blanking a setting.
        Assert.Empty(StandardAliases.Resolve(new Hashtable { ["AWS_REGION"] = "  " }));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.8.9.10", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("10.1.2.3", false)]
    [InlineData("2001:db8::1", false)]
    public void Metrics_are_open_to_loopback_only_by_default(string address, bool allowed) =>
        Assert.Equal(allowed, MetricsSetup.IsAllowed(System.Net.IPAddress.Parse(address), MetricsSetup.ParseNetworks(MetricsOptions.DefaultNetworks)));

    [Fact]
    public void Configured_metrics_networks_accept_cidrs_and_single_addresses_and_refuse_typos()
    {
        var nets = MetricsSetup.ParseNetworks(["10.0.0.0/8", "192.0.2.7"]);
        Assert.True(MetricsSetup.IsAllowed(System.Net.IPAddress.Parse("10.200.0.1"), nets));
        Assert.True(MetricsSetup.IsAllowed(System.Net.IPAddress.Parse("192.0.2.7"), nets));
        Assert.False(MetricsSetup.IsAllowed(System.Net.IPAddress.Parse("192.0.2.8"), nets));
        Assert.False(MetricsSetup.IsAllowed(null, nets));
        Assert.Contains("Metrics:AllowedNetworks", Assert.Throws<InvalidOperationException>(() => MetricsSetup.ParseNetworks(["10.0.0/33x"])).Message);
    }
}

using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using StreamForge.Core.Configuration;

namespace StreamForge.Tests.Security;

/// <summary>
/// Outside Development the API and the worker refuse secrets anyone can know. The rule itself (SecretChecks in Core)
/// is checked value by value; the hosts are then started for real in Production to show both use it.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class SecretChecksTests(StackFixture stack)
{
    private const string StrongPassword = "an operator's own 7Lq!x password";

    public static TheoryData<string, string, string> Refused => new()
    {
        // key, value, what the refusal must say
        { "Auth:JwtSigningKey", "change-me-to-48-random-bytes-base64-change-me-to-48", "Auth__JwtSigningKey is a placeholder" },
        { "Auth:JwtSigningKey", "my-super-secret-signing-key-for-production-use-only", "Auth__JwtSigningKey is a placeholder" },
        { "Auth:JwtSigningKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)), "Auth__JwtSigningKey is too short" },
        { "Auth:JwtSigningKey", Convert.ToHexString(RandomNumberGenerator.GetBytes(20)), "Auth__JwtSigningKey is too short" },
        { "Auth:JwtSigningKey", new string('a', 40) + new string('b', 40), "Auth__JwtSigningKey has low entropy" },
        { "Auth:JwtSigningKey", string.Concat(Enumerable.Repeat("0123456789abcdefXY", 4)), "Auth__JwtSigningKey has low entropy" },
        { "Auth:AdminPassword", "streamforge-admin", "Auth__AdminPassword is the development default" },
        { "Auth:AdminPassword", "change-me", "Auth__AdminPassword is a placeholder" },
        { "Auth:AdminPassword", "Change_Me_2024", "Auth__AdminPassword is a placeholder" },
        { "Storage:SecretKey", "S3RVER", "Storage__SecretKey (AWS_SECRET_ACCESS_KEY) is a known default" },
        { "Storage:SecretKey", "minioadmin", "Storage__SecretKey (AWS_SECRET_ACCESS_KEY) is a known default" },
        { "Storage:SecretKey", "change-me-too", "Storage__SecretKey (AWS_SECRET_ACCESS_KEY) is a placeholder" },
        { "Storage:UploadSecretKey", "minioadmin", "Storage__UploadSecretKey is a known default" },
        { "ConnectionStrings:Postgres", "Host=db;Database=streamforge;Username=streamforge;Password=streamforge", "ConnectionStrings__Postgres (DATABASE_URL) has a password that is a known default" },
        { "ConnectionStrings:Postgres", "Host=db;Database=streamforge;Username=streamforge;Password=change-me", "ConnectionStrings__Postgres (DATABASE_URL) has a password that is a" },
        { "Playback:TokenSecret", "change-me-playback-token-secret-0123456789", "Playback__TokenSecret (PLAYBACK_TOKEN_SECRET) is a placeholder" },
        { "Playback:TokenSecret", Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('+', '-').Replace('/', '_'), "Playback__TokenSecret (PLAYBACK_TOKEN_SECRET) is too short" },
        { "Playback:TokenSecret", Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)) + "/+\"", "Playback__TokenSecret (PLAYBACK_TOKEN_SECRET) must be base64url" },
        { "PLAYBACK_TOKEN_SECRET", new string('x', 40) + new string('y', 40), "Playback__TokenSecret (PLAYBACK_TOKEN_SECRET) has low entropy" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Each_default_or_weak_secret_is_refused_by_name_without_echoing_it(string key, string value, string expected)
    {
        var problems = SecretChecks.FindRefusals(Config((key, value)));
        var problem = Assert.Single(problems);
        Assert.StartsWith(expected, problem);
        if (value.Length > 8) Assert.DoesNotContain(value, problem);
    }

    [Fact]
    public void Generated_secrets_pass()
    {
        var config = Config(
            ("Auth:JwtSigningKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(48))),
            ("Auth:AdminPassword", StrongPassword),
            ("Storage:AccessKey", "AKIAEXAMPLEKEYID"),
            ("Storage:SecretKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(30))),
            ("Storage:UploadAccessKey", "streamforge-upload"),
            ("Storage:UploadSecretKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(30))),
            ("ConnectionStrings:Postgres", $"Host=db;Database=streamforge;Username=streamforge;Password={Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))}"),
            ("Playback:TokenSecret", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_')));
        Assert.Empty(SecretChecks.FindRefusals(config));
        Assert.Empty(SecretChecks.FindWarnings(config));
        // `openssl rand -hex 32` and `-base64 32` are exactly 32 bytes: enough.
        Assert.Null(SecretChecks.SigningKeyProblem(Convert.ToHexString(RandomNumberGenerator.GetBytes(32))));
        Assert.Null(SecretChecks.SigningKeyProblem(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
        // The local stack's own (scripts/lib/datadir.mjs) and the stack fixture's secrets are fit for Production.
        Assert.Empty(SecretChecks.FindRefusals(Config([.. stack.Env.Where(kv => kv.Key != "Auth__AdminPassword").Select(kv => (kv.Key.Replace("__", ":"), kv.Value))])));
    }

    [Fact]
    public void Upload_urls_signed_with_the_main_keys_are_warned_about()
    {
        Assert.Contains("Storage__UploadAccessKey", Assert.Single(SecretChecks.FindWarnings(Config(("Storage:AccessKey", "AKIA1")))));
        Assert.Contains("is the main access key", Assert.Single(SecretChecks.FindWarnings(Config(
            ("Storage:AccessKey", "AKIA1"), ("Storage:UploadAccessKey", "AKIA1"), ("Storage:UploadSecretKey", "x")))));
    }

    [Fact]
    public void Private_targets_for_webhooks_or_imports_are_warned_about()
    {
        (string, string)[] keys = [("Storage:AccessKey", "AKIA1"), ("Storage:UploadAccessKey", "AKIA2"), ("Storage:UploadSecretKey", "x")];
        Assert.Empty(SecretChecks.FindWarnings(Config([.. keys, ("Webhooks:AllowPrivateTargets", "false")])));
        var warnings = SecretChecks.FindWarnings(Config([.. keys, ("Webhooks:AllowPrivateTargets", "true"), ("Imports:AllowPrivateTargets", "True")]));
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.StartsWith("Webhooks__AllowPrivateTargets is true", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("Imports__AllowPrivateTargets is true", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Auth:JwtSigningKey", "change-me-to-48-random-bytes-base64-change-me-to-48", "Auth__JwtSigningKey is a placeholder")]
    [InlineData("Storage:SecretKey", "S3RVER", "Storage__SecretKey (AWS_SECRET_ACCESS_KEY) is a known default")]
    [InlineData("Storage:UploadSecretKey", "minioadmin", "Storage__UploadSecretKey is a known default")]
    [InlineData("Auth:JwtSigningKey", "0123456789abcdefXY0123456789abcdefXY0123456789abcdefXY", "Auth__JwtSigningKey has low entropy")]
    [InlineData("Auth:AdminPassword", "change-me", "Auth__AdminPassword is a placeholder")]
    [InlineData("Playback:TokenSecret", "", "Playback__TokenSecret (PLAYBACK_TOKEN_SECRET) is not set")]
    [InlineData("Playback:TokenSecret", "q8Zr2pLm", "Playback__TokenSecret (PLAYBACK_TOKEN_SECRET) is too short")]
    public void The_api_refuses_to_start_in_production(string key, string value, string expected)
    {
        // The strong admin password first, so a case about the admin password replaces it.
        var settings = new Dictionary<string, string> { ["Auth:AdminPassword"] = StrongPassword, [key] = value };
        // The stack's secret also arrives by its conventional name: a case about the secret replaces both.
        if (key == "Playback:TokenSecret") settings["PLAYBACK_TOKEN_SECRET"] = value;
        using var api = stack.NewApi(settings, "Production");
        var error = Assert.ThrowsAny<Exception>(() => api.CreateClient());
        Assert.Contains(expected, error.ToString());
    }

    [Fact]
    public void The_api_refuses_a_default_database_password_in_production_before_connecting()
    {
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(stack.ConnectionString) { Password = "streamforge" }.ConnectionString;
        using var api = stack.NewApi(new Dictionary<string, string> { ["ConnectionStrings:Postgres"] = connection, ["Auth:AdminPassword"] = StrongPassword }, "Production");
        var error = Assert.ThrowsAny<Exception>(() => api.CreateClient());
        Assert.Contains("ConnectionStrings__Postgres (DATABASE_URL) has a password that is a known default", error.ToString());
    }

    [Fact]
    public async Task The_worker_refuses_to_start_in_production_and_names_every_variable()
    {
        using var databaseOnly = stack.NewApi();
        var database = databaseOnly.ConnectionString;
        await using var worker = WorkerProcess.Start(stack, database, new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Auth__JwtSigningKey"] = "change-me-to-48-random-bytes-base64-change-me-to-48",
            ["AWS_SECRET_ACCESS_KEY"] = "minioadmin",
            ["Storage__SecretKey"] = "", // so the standard alias is what the worker reads
            // Auth__AdminPassword stays the stack's development password.
        });
        Assert.Equal(2, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("StreamForge worker cannot start", worker.Log);
        Assert.Contains("Auth__JwtSigningKey is a placeholder", worker.Log);
        Assert.Contains("Auth__AdminPassword is the development default", worker.Log);
        Assert.Contains("Storage__SecretKey (AWS_SECRET_ACCESS_KEY) is a known default", worker.Log);
        Assert.DoesNotContain("minioadmin", worker.Log);
    }

    [Fact]
    public async Task The_worker_refuses_low_entropy_keys_change_me_passwords_and_default_database_credentials()
    {
        using var databaseOnly = stack.NewApi();
        // Refused before the worker connects: the database never sees the default password.
        var database = new Npgsql.NpgsqlConnectionStringBuilder(databaseOnly.ConnectionString) { Password = "streamforge" }.ConnectionString;
        await using var worker = WorkerProcess.Start(stack, database, new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Auth__JwtSigningKey"] = string.Concat(Enumerable.Repeat("0123456789abcdefXY", 4)),
            ["Auth__AdminPassword"] = "change-me",
            ["Storage__UploadSecretKey"] = "minioadmin",
        });
        Assert.Equal(2, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Auth__JwtSigningKey has low entropy", worker.Log);
        Assert.Contains("Auth__AdminPassword is a placeholder", worker.Log);
        Assert.Contains("Storage__UploadSecretKey is a known default", worker.Log);
        Assert.Contains("ConnectionStrings__Postgres (DATABASE_URL) has a password that is a known default", worker.Log);
        Assert.DoesNotContain("minioadmin", worker.Log);
    }

    [Fact]
    public async Task The_worker_starts_in_production_with_the_local_stacks_generated_secrets()
    {
        using var databaseOnly = stack.NewApi();
        var database = databaseOnly.ConnectionString;
        await using var worker = WorkerProcess.Start(stack, database, new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Auth__AdminPassword"] = StrongPassword,
            ["Worker__HealthPort"] = "0",
        });
        var health = await worker.HealthAddressAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient();
        await Eventually.HoldsAsync(async () => (await http.GetAsync(new Uri(health, "/health/ready"))).IsSuccessStatusCode, TimeSpan.FromSeconds(60), () => "worker ready:\n" + worker.Log);
        Assert.DoesNotContain("unsafe secrets", worker.Log);
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}

using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Npgsql;
using StreamForge.Core;
using StreamForge.Core.Configuration;
using StreamForge.Core.Storage;
using StreamForge.Media;

namespace StreamForge.Worker.Health;

/// <summary>
/// Fail fast, before taking jobs: a worker without a usable ffmpeg, database or bucket would otherwise take a job
/// and fail it (burning its retries) instead of refusing to start where an operator sees it.
/// </summary>
public static partial class StartupChecks
{
    public const int MinimumFfmpegMajor = 5;

    public static async Task RunAsync(IServiceProvider services, CancellationToken ct = default)
    {
        try { SecretChecks.EnforceOutsideDevelopment(services.GetRequiredService<IConfiguration>(), services.GetRequiredService<IHostEnvironment>()); }
        catch (UnsafeSecretsException e) { throw new StartupCheckException(e.Message); }
        var tools = services.GetRequiredService<IOptions<MediaToolsOptions>>().Value;
        await CheckToolAsync(tools.FfmpegPath, "ffmpeg", "Media__FfmpegPath", ct);
        await CheckToolAsync(tools.FfprobePath, "ffprobe", "Media__FfprobePath", ct);
        await CheckDatabaseAsync(services.GetRequiredService<IConfiguration>(), ct);
        await CheckBucketAsync(services.GetRequiredService<IStorageGateway>(), services.GetRequiredService<IOptions<StorageOptions>>().Value, ct);
    }

    public static async Task<int> CheckToolAsync(string path, string name, string setting, CancellationToken ct)
    {
        string output;
        try
        {
            using var process = Process.Start(new ProcessStartInfo(path, ["-version"]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            await process.WaitForExitAsync(timeout.Token);
            output = await stdout + await stderr;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new StartupCheckException($"{name} was not found at '{path}'. Install FFmpeg {MinimumFfmpegMajor} or newer (Debian: apt-get install ffmpeg) or set {setting} to its path.");
        }
        return ParseMajorVersion(output, name) is { } major && major >= MinimumFfmpegMajor
            ? major
            : throw new StartupCheckException($"{name} at '{path}' is too old or unrecognised (\"{FirstLine(output)}\"); FFmpeg {MinimumFfmpegMajor} or newer is required.");
    }

    /// <summary>Major version from "ffmpeg version 5.1.6-0+deb12u1 …" or "ffmpeg version n6.0 …"; null for git builds without one.</summary>
    public static int? ParseMajorVersion(string versionOutput, string name = "ffmpeg")
    {
        var m = VersionLine().Match(versionOutput);
        return m.Success && m.Groups["tool"].Value == name && int.TryParse(m.Groups["major"].Value, out var major) ? major : null;
    }

    public static async Task CheckDatabaseAsync(IConfiguration configuration, CancellationToken ct)
    {
        string cs;
        try { cs = CoreServiceCollectionExtensions.RequireConnectionString(configuration); }
        catch (InvalidOperationException e) { throw new StartupCheckException(e.Message + " DATABASE_URL (postgres://user:password@host:5432/db) works too."); }
        NpgsqlConnectionStringBuilder parsed;
        try { parsed = new NpgsqlConnectionStringBuilder(cs); }
        catch (ArgumentException e) { throw new StartupCheckException($"ConnectionStrings:Postgres is malformed: {e.Message}"); }
        try
        {
            await using var connection = new NpgsqlConnection(cs);
            await connection.OpenAsync(ct);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new StartupCheckException($"Cannot connect to PostgreSQL at {parsed.Host}:{parsed.Port} (database '{parsed.Database}', user '{parsed.Username}'): {e.Message}");
        }
    }

    public static async Task CheckBucketAsync(IStorageGateway storage, StorageOptions options, CancellationToken ct)
    {
        var where = string.IsNullOrEmpty(options.ServiceUrl) ? $"AWS region {options.Region}" : options.ServiceUrl;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            await storage.PingAsync(timeout.Token);
        }
        catch (StorageException e) when (e.Failure == StorageFailure.BucketMissing)
        {
            throw new StartupCheckException($"Bucket '{options.Bucket}' does not exist at {where}. Create it or set Storage__Bucket (S3_BUCKET).");
        }
        catch (StorageException e) when (e.Failure == StorageFailure.AccessDenied)
        {
            throw new StartupCheckException($"Bucket '{options.Bucket}' at {where} refused the credentials ({e.ErrorCode}). Check Storage__AccessKey/SecretKey (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY).");
        }
        catch (Exception e) when (e is StorageException or OperationCanceledException)
        {
            throw new StartupCheckException($"Object storage at {where} is unreachable for bucket '{options.Bucket}': {(e as StorageException)?.InnerException?.Message ?? e.Message}");
        }
    }

    private static string FirstLine(string s) => s.Split('\n', 2)[0].Trim();

    [GeneratedRegex(@"^(?<tool>ffmpeg|ffprobe) version n?(?<major>\d+)\.", RegexOptions.Multiline)]
    private static partial Regex VersionLine();
}

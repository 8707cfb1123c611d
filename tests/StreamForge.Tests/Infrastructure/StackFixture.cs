using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace StreamForge.Tests.Infrastructure;

/// <summary>
/// Starts a throwaway PostgreSQL + S3 server (+ nginx CDN) through the project's one launcher,
/// scripts/stack.mjs, and stops it when the tests end (closing stdin ends the launcher).
/// Set STREAMFORGE_STACK_JSON to a STACK_READY payload to reuse a running stack instead.
/// <para>
/// The one way to get an API host: <see cref="Api"/>, shared, for tests that need no special settings and only
/// touch their own users and videos; <see cref="NewApi"/>, a host on a database of its own, for tests that change
/// settings, the environment or the clock, count rows across the whole database, or start a worker (a worker
/// takes every queued video in its database). Dispose what <see cref="NewApi"/> returns (<c>await using</c>).
/// </para>
/// </summary>
public class StackFixture : IAsyncLifetime
{
    private Process? _launcher;
    public IReadOnlyDictionary<string, string> Env { get; private set; } = new Dictionary<string, string>();
    public string ConnectionString => Env["ConnectionStrings__Postgres"];
    public string S3Endpoint => Env["Storage__ServiceUrl"];
    public string Bucket => Env["Storage__Bucket"];
    public string? CdnUrl => Env.GetValueOrDefault("CDN_URL");
    /// <summary>The launcher's control endpoint (--control): stops and starts the stack's own PostgreSQL and S3 server.</summary>
    public Uri? ControlUrl { get; private set; }

    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>A plain client for talking to the S3 server directly (presigned URLs, anonymous reads).</summary>
    public HttpClient Storage { get; } = new();

    private ApiFactory? _api;
    /// <summary>One API host shared by tests that need no special settings (each test uses its own users).</summary>
    public ApiFactory Api => _api ??= new ApiFactory(this);

    /// <summary>An API host of its own on a fresh database, with <paramref name="settings"/> over the test defaults.</summary>
    public ApiFactory NewApi(IDictionary<string, string>? settings = null, string environment = "Development", FakeTimeProvider? clock = null) =>
        new(this, settings, environment, clock);

    public async Task InitializeAsync()
    {
        var reuse = Environment.GetEnvironmentVariable("STREAMFORGE_STACK_JSON");
        var json = reuse ?? await LaunchAsync();
        using var doc = JsonDocument.Parse(json);
        Env = doc.RootElement.GetProperty("env").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
        if (doc.RootElement.TryGetProperty("controlUrl", out var control) && control.GetString() is { } url) ControlUrl = new Uri(url);
    }

    /// <summary>
    /// Runs one launcher action (postgres/stop, postgres/start, postgres/restart, s3/stop, s3/start) and returns once
    /// it is done: the launcher owns those processes, so it also stops whatever a test restarted.
    /// </summary>
    public async Task ControlAsync(string action)
    {
        if (ControlUrl is null) throw new InvalidOperationException("this stack has no control endpoint (a reused STREAMFORGE_STACK_JSON stack started without --control)");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var response = await http.PostAsync(new Uri(ControlUrl, action), null);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"stack control {action}: {(int)response.StatusCode} {text}");
    }

    private async Task<string> LaunchAsync()
    {
        var psi = new ProcessStartInfo("node", ["scripts/stack.mjs", "--ephemeral", "--stdin-lifetime", "--control"])
        {
            WorkingDirectory = RepoRoot,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _launcher = Process.Start(psi) ?? throw new InvalidOperationException("could not start node scripts/stack.mjs");
        var stderr = new System.Text.StringBuilder();
        _launcher.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        _launcher.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (true)
        {
            var line = await _launcher.StandardOutput.ReadLineAsync(timeout.Token);
            if (line is null) throw new InvalidOperationException($"stack launcher exited before it was ready:\n{stderr}");
            const string marker = "STACK_READY ";
            if (line.StartsWith(marker, StringComparison.Ordinal))
            {
                // Keep draining stdout so the launcher never blocks on a full pipe.
                _ = _launcher.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
                return line[marker.Length..];
            }
        }
    }

    public async Task DisposeAsync()
    {
        Storage.Dispose();
        if (_api is not null) await _api.DisposeAsync();
        if (_launcher is null) return;
        try
        {
            _launcher.StandardInput.Close();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await _launcher.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _launcher.Kill(entireProcessTree: true);
        }
        _launcher.Dispose();
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "StreamForge.sln"))) return dir.FullName;
        throw new InvalidOperationException("StreamForge.sln not found above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "stack";
}

/// <summary>
/// A stack of its own for the fault-injection tests, which stop and restart its PostgreSQL and S3 server: no
/// other test shares those processes. The collection runs after the parallel ones, alone, so an outage never
/// lands on another test and a slow transcode is not slowed further by other tests' transcodes.
/// </summary>
public sealed class FaultStackFixture : StackFixture;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection : ICollectionFixture<FaultStackFixture>
{
    public const string Name = "faults";
}

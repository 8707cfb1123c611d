using System.Diagnostics;

namespace StreamForge.Tests.Infrastructure;

/// <summary>
/// Starts a throwaway PostgreSQL + S3 server (+ nginx CDN) through the project's one launcher,
/// scripts/stack.mjs, and stops it when the tests end (closing stdin ends the launcher).
/// Set STREAMFORGE_STACK_JSON to a STACK_READY payload to reuse a running stack instead.
/// </summary>
public sealed class StackFixture : IAsyncLifetime
{
    private Process? _launcher;
    public IReadOnlyDictionary<string, string> Env { get; private set; } = new Dictionary<string, string>();
    public string ConnectionString => Env["ConnectionStrings__Postgres"];
    public string S3Endpoint => Env["Storage__ServiceUrl"];
    public string Bucket => Env["Storage__Bucket"];
    public string? CdnUrl => Env.GetValueOrDefault("CDN_URL");

    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>A plain client for talking to the S3 server directly (presigned URLs, anonymous reads).</summary>
    public HttpClient Storage { get; } = new();

    private ApiFactory? _api;
    /// <summary>One API host shared by tests that need no special settings (each test uses its own users).</summary>
    public ApiFactory Api => _api ??= new ApiFactory(this);

    public async Task InitializeAsync()
    {
        var reuse = Environment.GetEnvironmentVariable("STREAMFORGE_STACK_JSON");
        var json = reuse ?? await LaunchAsync();
        using var doc = JsonDocument.Parse(json);
        Env = doc.RootElement.GetProperty("env").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
    }

    private async Task<string> LaunchAsync()
    {
        var psi = new ProcessStartInfo("node", ["scripts/stack.mjs", "--ephemeral", "--stdin-lifetime"])
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

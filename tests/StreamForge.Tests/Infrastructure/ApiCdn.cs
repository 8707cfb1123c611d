using System.Diagnostics;
using System.Net.Sockets;

namespace StreamForge.Tests.Infrastructure;

/// <summary>
/// A real nginx CDN (scripts/cdn.mjs: the config the stack generates) in front of the fixture's S3 server and of an
/// API host listening on a real port, so private media goes viewer → nginx (secure_link) → the API's origin route.
/// The fixture's own CDN has no API behind it: the tests host theirs in-process. Dispose to stop it.
/// </summary>
public sealed class ApiCdn : IAsyncDisposable
{
    private readonly Process _launcher;

    private ApiCdn(Process launcher, string cdnUrl)
    {
        _launcher = launcher;
        CdnUrl = cdnUrl;
    }

    /// <summary>The CDN_URL of this CDN: http://127.0.0.1:port/{bucket}.</summary>
    public string CdnUrl { get; }

    public static async Task<ApiCdn> StartAsync(StackFixture stack, int apiPort)
    {
        var s3Port = new Uri(stack.S3Endpoint).Port;
        var psi = new ProcessStartInfo("node", ["scripts/cdn.mjs", "--s3-port", s3Port.ToString(), "--api-port", apiPort.ToString(),
            "--secret", stack.Env["PLAYBACK_TOKEN_SECRET"], "--bucket", stack.Bucket, "--stdin-lifetime"])
        {
            WorkingDirectory = StackFixture.RepoRoot, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        var launcher = Process.Start(psi) ?? throw new InvalidOperationException("could not start node scripts/cdn.mjs");
        var stderr = new System.Text.StringBuilder();
        launcher.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        launcher.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var line = await launcher.StandardOutput.ReadLineAsync(timeout.Token);
            if (line is null) throw new InvalidOperationException($"scripts/cdn.mjs exited before it was ready:\n{stderr}");
            const string marker = "CDN_READY ";
            if (!line.StartsWith(marker, StringComparison.Ordinal)) continue;
            _ = launcher.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
            return new ApiCdn(launcher, JsonDocument.Parse(line[marker.Length..]).RootElement.GetProperty("cdnUrl").GetString()!);
        }
    }

    /// <summary>A loopback port nobody listens on now (the API host is started on it next).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _launcher.StandardInput.Close();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _launcher.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _launcher.Kill(entireProcessTree: true);
        }
        _launcher.Dispose();
    }
}

using System.Diagnostics;
using System.Text;

namespace StreamForge.Tests.Infrastructure;

/// <summary>
/// A real worker process (the built StreamForge.Worker.dll) against a test database: what runs in
/// production, and something a test can kill.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private bool _disposed;

    // A test that fails before it disposes its worker must not leave it polling a dropped database
    // for the rest of the machine's life: whatever is still running when the test host exits is killed.
    private static readonly HashSet<WorkerProcess> Live = [];

    static WorkerProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        lock (Live)
        {
            foreach (var worker in Live)
            {
                try { worker._process.Kill(entireProcessTree: true); }
                catch (InvalidOperationException) { /* already gone */ }
            }
        }
    };

    public static readonly Dictionary<string, string> FastSettings = new()
    {
        ["Media__Preset"] = "ultrafast",
        ["Jobs__RetryDelays__0"] = "00:00:00.200",
        ["Jobs__RetryDelays__1"] = "00:00:00.400",
        ["Jobs__RetryDelays__2"] = "00:00:00.800",
        ["Jobs__ClusterCheckinInterval"] = "00:00:01",
        ["Worker__ShutdownGrace"] = "00:00:05",
        ["Worker__MaxConcurrentJobs"] = "1",
    };

    private WorkerProcess(Process process) => _process = process;

    public string Log { get { lock (_log) return _log.ToString(); } }
    public int Id => _process.Id;

    /// <param name="launcher">A command the worker is started through (e.g. setpriv to run it without capabilities).</param>
    public static WorkerProcess Start(StackFixture stack, string connectionString, IDictionary<string, string>? settings = null, string[]? launcher = null)
    {
        var config = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd('/'))!); // Debug or Release
        var dll = Path.Combine(StackFixture.RepoRoot, "worker", "StreamForge.Worker", "bin", config, "net10.0", "StreamForge.Worker.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("build the worker first", dll);
        var command = (launcher ?? []).Concat(["dotnet", dll]).ToArray();
        var psi = new ProcessStartInfo(command[0], command[1..]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (k, v) in stack.Env) psi.Environment[k] = v;
        psi.Environment["ConnectionStrings__Postgres"] = connectionString;
        psi.Environment["DOTNET_ENVIRONMENT"] = "Development";
        foreach (var (k, v) in FastSettings) psi.Environment[k] = v;
        // An empty value removes a fast default (e.g. to run with fewer retry delays than FastSettings lists).
        foreach (var (k, v) in settings ?? new Dictionary<string, string>())
            if (v.Length == 0) psi.Environment.Remove(k); else psi.Environment[k] = v;
        var worker = new WorkerProcess(Process.Start(psi)!);
        lock (Live) Live.Add(worker);
        worker._process.OutputDataReceived += (_, e) => worker.Append(e.Data);
        worker._process.ErrorDataReceived += (_, e) => worker.Append(e.Data);
        worker._process.BeginOutputReadLine();
        worker._process.BeginErrorReadLine();
        return worker;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    /// <summary>Waits for the process to end by itself (e.g. a refused start) and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>The health listener's base URL, once the worker has logged it.</summary>
    public async Task<Uri> HealthAddressAsync(TimeSpan timeout)
    {
        var m = await Eventually.ValueAsync(() => System.Text.RegularExpressions.Regex.Match(Log, @"Health listener on (\S+)"),
            found => found.Success || _process.HasExited, timeout, _ => "The worker did not report its health listener:\n" + Log);
        Assert.True(m.Success, "The worker exited before it reported its health listener:\n" + Log);
        return new Uri(m.Groups[1].Value);
    }

    /// <summary>Waits until the worker's scheduler runs (it logs so) and returns its instance id, as job runs record it.</summary>
    public async Task<string> TakingJobsAsync(TimeSpan timeout)
    {
        var m = await Eventually.ValueAsync(() => System.Text.RegularExpressions.Regex.Match(Log, @"Worker (\S+) is taking jobs"),
            found => found.Success || _process.HasExited, timeout, _ => "The worker did not start taking jobs:\n" + Log);
        Assert.True(m.Success, "The worker exited before it took jobs:\n" + Log);
        return m.Groups[1].Value;
    }

    /// <summary>SIGKILL for the worker and its ffmpeg: a crash, not a shutdown.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_process.HasExited)
        {
            // SIGTERM: the graceful path a service manager takes.
            Process.Start("kill", ["-TERM", _process.Id.ToString()])?.WaitForExit();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try { await _process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        lock (Live) Live.Remove(this);
        _process.Dispose();
    }
}

using System.Diagnostics;
using StreamForge.Media;

namespace StreamForge.Tests.Processing;

/// <summary>
/// `StreamForge.Worker.dll plan-ffmpeg` (what the pipeline benchmark runs by hand) prints the product's own
/// ladder command, with the worker's configuration, and that command runs as printed.
/// </summary>
public sealed class FfmpegPlanCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("sf-plan-test-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Prints_the_builders_ladder_for_the_probed_file_and_it_runs_as_printed()
    {
        var source = await MakeClipAsync("1280x720");
        var workDir = Path.Combine(_dir.FullName, "work");

        var (exit, stdout, stderr) = await RunWorkerAsync(["plan-ffmpeg", source, "--max-quality", "480", "--work-dir", workDir], ("Media__Preset", "ultrafast"));

        Assert.True(exit == 0, stderr);
        using var plan = JsonDocument.Parse(stdout);
        var printed = plan.RootElement.GetProperty("arguments").EnumerateArray().Select(a => a.GetString()!).ToList();

        // The same call chain the worker makes, here in-process: what was printed is the builder's output, and
        // Media__Preset from the environment reached it.
        var options = new MediaToolsOptions { Preset = "ultrafast" };
        var probe = await new Ffprobe(options, new ProcessRunner()).ProbeAsync(source);
        var expected = new FfmpegCommandBuilder(options).BuildLadder(source, probe, LadderPlanner.Plan(probe.Video, 480), new OutputLayout(workDir));
        Assert.Equal(expected.Arguments, printed);
        Assert.Equal(new[] { "360p", "480p" }, plan.RootElement.GetProperty("rungs").EnumerateArray().Select(r => r.GetProperty("id").GetString()!));
        Assert.Equal("ultrafast", printed[printed.IndexOf("-preset") + 1]);

        var ffmpeg = await RunAsync(plan.RootElement.GetProperty("fileName").GetString()!, printed, []);
        Assert.True(ffmpeg.Exit == 0, ffmpeg.Stderr);
        Assert.True(File.Exists(plan.RootElement.GetProperty("manifestPath").GetString()), "the printed command wrote no DASH manifest");
        Assert.True(File.Exists(Path.Combine(workDir, "poster.jpg")), "the printed command wrote no poster");
    }

    [Fact]
    public async Task A_missing_source_is_a_usage_error_not_a_crash()
    {
        var (exit, stdout, stderr) = await RunWorkerAsync(["plan-ffmpeg", Path.Combine(_dir.FullName, "absent.mp4")]);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("no such file", stderr);
    }

    [Fact]
    public async Task A_file_ffprobe_cannot_read_fails_with_its_reason()
    {
        var junk = Path.Combine(_dir.FullName, "junk.mp4");
        await File.WriteAllBytesAsync(junk, new byte[4096]);

        var (exit, stdout, stderr) = await RunWorkerAsync(["plan-ffmpeg", junk]);

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Contains("ffprobe refused", stderr);
    }

    private async Task<string> MakeClipAsync(string size)
    {
        var path = Path.Combine(_dir.FullName, "source.mp4");
        var r = await RunAsync("ffmpeg", ["-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i", $"testsrc2=size={size}:rate=30:duration=2",
            "-f", "lavfi", "-i", "sine=duration=2", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", path], []);
        Assert.True(r.Exit == 0, r.Stderr);
        return path;
    }

    private static Task<(int Exit, string Stdout, string Stderr)> RunWorkerAsync(string[] args, params (string Key, string Value)[] env)
    {
        var config = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd('/'))!); // Debug or Release
        var dll = Path.Combine(StackFixture.RepoRoot, "worker", "StreamForge.Worker", "bin", config, "net10.0", "StreamForge.Worker.dll");
        return RunAsync("dotnet", [dll, .. args], env);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string file, IEnumerable<string> args, (string Key, string Value)[] env)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw new TimeoutException($"{file} did not finish within 2 minutes"); }
        return (process.ExitCode, await stdout, await stderr);
    }
}

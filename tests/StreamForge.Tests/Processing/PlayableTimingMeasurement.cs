using System.Diagnostics;
using Xunit.Abstractions;

namespace StreamForge.Tests.Processing;

/// <summary>
/// The figures of issue 19 for one source, on demand (STREAMFORGE_MEASURE_PLAYABLE=1): complete → playable (the first
/// growing manifest is up), complete → ready, and the bare ffmpeg time of the worker's own command (plan-ffmpeg) on the
/// same file. A measurement, not a check: it asserts only that the video became playable before ready.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class PlayableTimingMeasurement(StackFixture stack, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Complete_to_playable_and_ready_against_bare_ffmpeg()
    {
        Skip.If(Environment.GetEnvironmentVariable("STREAMFORGE_MEASURE_PLAYABLE") != "1", "a measurement: set STREAMFORGE_MEASURE_PLAYABLE=1");
        var seconds = double.Parse(Environment.GetEnvironmentVariable("STREAMFORGE_MEASURE_SECONDS") ?? "60", System.Globalization.CultureInfo.InvariantCulture);
        var preset = Environment.GetEnvironmentVariable("STREAMFORGE_MEASURE_PRESET") ?? "veryfast";
        var clip = await Clips.GenerateAsync(1920, 1080, seconds, name: $"measure-{seconds}s.mp4");

        await using var api = stack.NewApi();
        await using var worker = WorkerProcess.Start(stack, api.ConnectionString, new Dictionary<string, string> { ["Media__Preset"] = preset });
        var client = await api.RegisterAsync();
        // Upload outside the clock: it starts when the complete call returns, as the issue measures.
        var completedAt = Stopwatch.StartNew();
        var videoId = await VideoFlow.UploadAsync(client, clip);
        completedAt.Restart();
        TimeSpan? playable = null;
        var ready = await Eventually.ValueAsync(async () =>
        {
            var v = await (await client.GetAsync($"/api/v1/videos/{videoId}")).ReadJsonAsync();
            if (playable is null && v.GetProperty("manifestUrl").ValueKind == JsonValueKind.String) playable = completedAt.Elapsed;
            return v;
        }, v => v.GetProperty("status").GetString() is "ready" or "failed", TimeSpan.FromMinutes(15), v => $"not ready: {v}\n{worker.Log}", TimeSpan.FromMilliseconds(100));
        var readyAfter = completedAt.Elapsed;
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.NotNull(playable);

        // The same command the worker ran, by itself.
        var dll = Path.Combine(StackFixture.RepoRoot, "worker", "StreamForge.Worker", "bin", "Release", "net10.0", "StreamForge.Worker.dll");
        var work = Directory.CreateTempSubdirectory("sf-measure-").FullName;
        var psi = new ProcessStartInfo("dotnet", [dll, "plan-ffmpeg", clip, "--work-dir", work]) { RedirectStandardOutput = true };
        psi.Environment["Media__Preset"] = preset;
        using var plan = Process.Start(psi)!;
        var command = JsonDocument.Parse(await plan.StandardOutput.ReadToEndAsync()).RootElement;
        await plan.WaitForExitAsync();
        var bare = Stopwatch.StartNew();
        await Clips.RunAsync("ffmpeg", command.GetProperty("arguments").EnumerateArray().Select(a => a.GetString()!));
        var bareTime = bare.Elapsed;
        Directory.Delete(work, recursive: true);

        var line = $"MEASURE {seconds:0} s 1080p30 {preset}: complete→playable {playable!.Value.TotalSeconds:0.0} s, complete→ready {readyAfter.TotalSeconds:0.0} s, bare ffmpeg {bareTime.TotalSeconds:0.0} s (ready/bare {readyAfter / bareTime:0.00})";
        output.WriteLine(line);
        output.WriteLine(string.Join('\n', worker.Log.Split('\n').Where(l => l.Contains(videoId.ToString()))));
        Assert.True(playable < readyAfter, line);
    }
}

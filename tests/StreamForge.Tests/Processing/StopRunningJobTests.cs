using System.Diagnostics;
using Xunit.Abstractions;

namespace StreamForge.Tests.Processing;

/// <summary>Cancel and delete stop the running ffmpeg at once, whichever worker process holds the video.</summary>
[Collection(StackCollection.Name)]
public sealed class StopRunningJobTests(StackFixture stack, ITestOutputHelper output)
{
    // A slow preset on a 720p clip: the encode is still running when the test acts.
    private static readonly Dictionary<string, string> Slow = new() { ["Media__Preset"] = "medium" };

    [Theory]
    [InlineData(1, "cancel")]
    [InlineData(2, "cancel")]
    [InlineData(2, "delete")]
    public async Task The_running_ffmpeg_is_gone_within_two_seconds(int workerCount, string action)
    {
        await using var api = stack.NewApi();
        var workers = Enumerable.Range(0, workerCount).Select(_ => WorkerProcess.Start(stack, api.ConnectionString, Slow)).ToArray();
        try
        {
            var client = await api.RegisterAsync();
            var videoId = await VideoFlow.UploadAsync(client, await Clips.GenerateAsync(1280, 720, 20, name: "stoppable.mp4"));
            var logs = () => string.Join("\n-----\n", workers.Select(w => w.Log));
            int ffmpeg = 0, holder = -1;
            await Eventually.HoldsAsync(() =>
            {
                for (var i = 0; i < workers.Length && ffmpeg == 0; i++)
                    if (FfmpegChildOf(workers[i].Id) is { } pid) (ffmpeg, holder) = (pid, i);
                return ffmpeg != 0;
            }, TimeSpan.FromSeconds(60), () => "no worker started ffmpeg\n" + logs());

            var clock = Stopwatch.StartNew();
            var response = action == "cancel"
                ? await client.PostAsync($"/api/v1/videos/{videoId}/cancel", null)
                : await client.DeleteAsync($"/api/v1/videos/{videoId}");
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            await Eventually.HoldsAsync(() => !Directory.Exists($"/proc/{ffmpeg}"), TimeSpan.FromSeconds(2),
                () => $"ffmpeg {ffmpeg} of worker {holder} still runs {clock.ElapsedMilliseconds} ms after {action}\n" + logs(), TimeSpan.FromMilliseconds(10));
            output.WriteLine($"STOP workers={workerCount} action={action} holder={holder} ffmpeg gone after {clock.ElapsedMilliseconds} ms");

            // The run is abandoned, not retried or released: one run, closed, and the video stays as the API left it.
            await Eventually.HoldsAsync(() => workers[holder].Log.Contains($"Video {videoId} was deleted or cancelled while it was processed"),
                TimeSpan.FromSeconds(30), logs);
            var runs = await TestDb.QueryAsync(api, "SELECT outcome FROM job_runs WHERE video_id = @id", videoId);
            // A delete takes the video's runs with it; a cancel leaves the one abandoned run.
            Assert.Equal(action == "cancel" ? ["failed"] : [], runs);
            if (action == "cancel")
            {
                var video = await (await client.GetAsync($"/api/v1/videos/{videoId}")).ReadJsonAsync();
                Assert.Equal("failed", video.GetProperty("status").GetString());
                Assert.Equal(1, video.GetProperty("processingAttempts").GetInt32());
                var jobs = await TestDb.QueryAsync(api, "SELECT job_name FROM qrtz_job_details WHERE job_name = @id", videoId.ToString("D"));
                Assert.Empty(jobs);
            }
        }
        finally
        {
            foreach (var w in workers) await w.DisposeAsync();
        }
    }

    private static int? FfmpegChildOf(int pid)
    {
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            var name = Path.GetFileName(dir);
            if (!name.All(char.IsDigit)) continue;
            try
            {
                var stat = File.ReadAllText($"{dir}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[1] == pid.ToString() && stat.Contains("(ffmpeg)")) return int.Parse(name);
            }
            catch (IOException) { /* exited meanwhile */ }
        }
        return null;
    }
}

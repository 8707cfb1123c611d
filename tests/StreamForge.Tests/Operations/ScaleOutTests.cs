namespace StreamForge.Tests.Operations;

/// <summary>Scaling out: work spreads over workers, and a worker lost mid-job is covered by the one still running.</summary>
[Collection(StackCollection.Name)]
public sealed class ScaleOutTests(StackFixture stack)
{
    [Fact]
    public async Task Ten_videos_completed_at_once_are_spread_over_two_workers_each_processed_once()
    {
        await using var api = stack.NewApi();
        await using var first = WorkerProcess.Start(stack, api.ConnectionString);
        await using var second = WorkerProcess.Start(stack, api.ConnectionString);
        var client = await api.RegisterAsync();
        var clip = await Clips.GenerateAsync(640, 360, 2, name: "ten.mp4");
        var ids = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => VideoFlow.UploadAsync(client, clip)));
        foreach (var id in ids)
        {
            var video = await VideoFlow.WaitForFinalAsync(client, id, TimeSpan.FromSeconds(180), () => first.Log + second.Log);
            Assert.Equal("ready", video.GetProperty("status").GetString());
            Assert.Equal(1, video.GetProperty("processingAttempts").GetInt32());
        }
        var runs = await TestDb.QueryAsync(api, "SELECT video_id || ' ' || outcome FROM job_runs WHERE video_id = ANY(@ids)", ids);
        Assert.Equal(10, runs.Count);
        Assert.All(runs, r => Assert.EndsWith(" succeeded", r));
        Assert.Equal(10, runs.Select(r => r.Split(' ')[0]).Distinct().Count());
        var perWorker = await TestDb.QueryAsync(api, "SELECT worker || ' ' || count(*) FROM job_runs WHERE video_id = ANY(@ids) GROUP BY worker", ids);
        Assert.True(perWorker.Count == 2, string.Join("\n", perWorker));
    }

    [Fact]
    public async Task Killing_one_of_two_workers_mid_job_leaves_the_other_to_finish_it()
    {
        await using var api = stack.NewApi();
        var slow = new Dictionary<string, string> { ["Media__Preset"] = "medium" };
        var workers = new[] { WorkerProcess.Start(stack, api.ConnectionString, slow), WorkerProcess.Start(stack, api.ConnectionString, slow) };
        try
        {
            var client = await api.RegisterAsync();
            var videoId = await VideoFlow.UploadAsync(client, await Clips.GenerateAsync(1920, 1080, 8, name: "victim.mp4"));
            await VideoFlow.WaitForProgressAsync(client, videoId, 10, () => workers[0].Log + workers[1].Log);
            var running = await TestDb.QueryAsync(api, "SELECT worker FROM job_runs WHERE video_id = @id AND outcome = 'running'", videoId);
            var victimIndex = Array.FindIndex(workers, w => HasFfmpegChild(w.Id));
            Assert.True(victimIndex >= 0 && running.Count == 1, string.Join(",", running));
            workers[victimIndex].Kill();
            var survivor = workers[1 - victimIndex];

            var video = await VideoFlow.WaitForFinalAsync(client, videoId, TimeSpan.FromSeconds(180), () => survivor.Log);
            Assert.Equal("ready", video.GetProperty("status").GetString());
            var outcomes = await TestDb.QueryAsync(api, "SELECT outcome || ' ' || worker FROM job_runs WHERE video_id = @id ORDER BY id", videoId);
            Assert.Equal(2, outcomes.Count);
            Assert.Equal($"failed {running[0]}", outcomes[0]);
            Assert.StartsWith("succeeded ", outcomes[1]);
            Assert.NotEqual(running[0], outcomes[1]["succeeded ".Length..]);
        }
        finally
        {
            foreach (var w in workers) await w.DisposeAsync();
        }
    }

    private static bool HasFfmpegChild(int pid) => ProcFs.Children(pid, "ffmpeg").Count > 0;
}

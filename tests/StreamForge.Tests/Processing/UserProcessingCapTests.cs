namespace StreamForge.Tests.Processing;

/// <summary>One user cannot occupy the workers: a cap on videos processed at once and a daily worker-time allowance.</summary>
[Collection(StackCollection.Name)]
public sealed class UserProcessingCapTests(StackFixture stack)
{
    [Fact]
    public async Task With_a_cap_of_one_a_users_second_video_waits_visibly_while_two_workers_are_free()
    {
        await using var api = stack.NewApi();
        var capOne = new Dictionary<string, string> { ["Processing__MaxConcurrentPerUser"] = "1", ["Processing__WaitRetryDelay"] = "00:00:00.500" };
        await using var first = WorkerProcess.Start(stack, api.ConnectionString, capOne);
        await using var second = WorkerProcess.Start(stack, api.ConnectionString, capOne);
        var client = await api.RegisterAsync();
        var clip = await Clips.GenerateAsync(1280, 720, 10, name: "capped.mp4");
        var ids = new[] { await VideoFlow.UploadAsync(client, clip), await VideoFlow.UploadAsync(client, clip) };

        var maxRunning = 0;
        string? reason = null;
        var final = new Dictionary<Guid, JsonElement>();
        await Eventually.HoldsAsync(async () =>
        {
            var running = await TestDb.QueryAsync(api, "SELECT video_id::text FROM job_runs WHERE video_id = ANY(@ids) AND outcome = 'running'", ids);
            maxRunning = Math.Max(maxRunning, running.Count);
            foreach (var id in ids.Where(i => !final.ContainsKey(i)))
            {
                var video = await (await client.GetAsync($"/api/v1/videos/{id}")).ReadJsonAsync();
                if (video.GetProperty("status").GetString() is "ready" or "failed") final[id] = video;
                else if (video.GetProperty("queuedReason").GetString() is { } r)
                {
                    reason = r;
                    Assert.Equal(0, video.GetProperty("progress").GetInt32());
                    Assert.DoesNotContain(id.ToString(), running);
                }
            }
            return final.Count == ids.Length;
        }, TimeSpan.FromSeconds(240), () => first.Log + "\n-----\n" + second.Log, TimeSpan.FromMilliseconds(50));

        Assert.Equal(1, maxRunning);
        Assert.Equal("Waiting: only one of your videos can be processed at a time; this one starts when one of the others is done.", reason);
        foreach (var video in final.Values)
        {
            Assert.Equal("ready", video.GetProperty("status").GetString());
            // Waiting used no attempt and left nothing shown.
            Assert.Equal(1, video.GetProperty("processingAttempts").GetInt32());
            Assert.Equal(JsonValueKind.Null, video.GetProperty("queuedReason").ValueKind);
        }
    }

    [Fact]
    public async Task Past_the_daily_allowance_a_video_waits_visibly_and_another_users_video_runs()
    {
        await using var api = stack.NewApi();
        await using var worker = WorkerProcess.Start(stack, api.ConnectionString, new Dictionary<string, string>
        {
            ["Processing__DailyAllowance"] = "00:00:01",
            ["Processing__AllowanceRetryDelay"] = "00:00:00.500",
        });
        var client = await api.RegisterAsync();
        var clip = await Clips.GenerateAsync(1280, 720, 6, name: "allowance.mp4");
        var spent = await VideoFlow.UploadAsync(client, clip);
        Assert.Equal("ready", (await VideoFlow.WaitForFinalAsync(client, spent, TimeSpan.FromSeconds(120), () => worker.Log)).GetProperty("status").GetString());
        var runSeconds = await TestDb.QueryAsync(api, "SELECT extract(epoch FROM finished_at - started_at)::text FROM job_runs WHERE video_id = @id", spent);
        Assert.True(double.Parse(runSeconds.Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1, runSeconds.Single());

        var waiting = await VideoFlow.UploadAsync(client, clip);
        JsonElement video = default;
        await Eventually.HoldsAsync(async () =>
        {
            video = await (await client.GetAsync($"/api/v1/videos/{waiting}")).ReadJsonAsync();
            return video.GetProperty("queuedReason").ValueKind == JsonValueKind.String;
        }, TimeSpan.FromSeconds(60), () => worker.Log);
        Assert.Equal("Waiting: your videos used their 1 s of processing time for the last 24 hours; this one starts when some of it frees up.",
            video.GetProperty("queuedReason").GetString());

        // Someone else's video is not held up by it.
        var other = await api.RegisterAsync();
        var theirs = await VideoFlow.UploadAsync(other, await Clips.GenerateAsync(640, 360, 2, name: "other-user.mp4"));
        Assert.Equal("ready", (await VideoFlow.WaitForFinalAsync(other, theirs, TimeSpan.FromSeconds(120), () => worker.Log)).GetProperty("status").GetString());

        video = await (await client.GetAsync($"/api/v1/videos/{waiting}")).ReadJsonAsync();
        Assert.Equal("processing", video.GetProperty("status").GetString());
        Assert.Equal(0, video.GetProperty("processingAttempts").GetInt32());
        Assert.Empty(await TestDb.QueryAsync(api, "SELECT outcome FROM job_runs WHERE video_id = @id", waiting));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await client.PostAsync($"/api/v1/videos/{waiting}/cancel", null)).StatusCode);

        // Deleting the video that spent the allowance does not give its worker time back: a video uploaded after the
        // delete waits too (before deleted_video_runs it ran at once, as the runs went with their video).
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/videos/{spent}")).StatusCode);
        Assert.Empty(await TestDb.QueryAsync(api, "SELECT outcome FROM job_runs WHERE video_id = @id", spent));
        var afterDelete = await VideoFlow.UploadAsync(client, clip);
        await Eventually.HoldsAsync(async () =>
        {
            video = await (await client.GetAsync($"/api/v1/videos/{afterDelete}")).ReadJsonAsync();
            Assert.NotEqual("ready", video.GetProperty("status").GetString());
            return video.GetProperty("queuedReason").ValueKind == JsonValueKind.String;
        }, TimeSpan.FromSeconds(60), () => worker.Log);
        Assert.StartsWith("Waiting: your videos used their 1 s", video.GetProperty("queuedReason").GetString());
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await client.PostAsync($"/api/v1/videos/{afterDelete}/cancel", null)).StatusCode);

        // Admins have no allowance: after a run longer than it, their next video still runs at once.
        var admin = await api.LoginAdminAsync(stack);
        var adminFirst = await VideoFlow.UploadAsync(admin, clip);
        Assert.Equal("ready", (await VideoFlow.WaitForFinalAsync(admin, adminFirst, TimeSpan.FromSeconds(120), () => worker.Log)).GetProperty("status").GetString());
        var adminSeconds = await TestDb.QueryAsync(api, "SELECT extract(epoch FROM finished_at - started_at)::text FROM job_runs WHERE video_id = @id", adminFirst);
        Assert.True(double.Parse(adminSeconds.Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1, adminSeconds.Single());
        var adminSecond = await VideoFlow.UploadAsync(admin, clip);
        var adminVideo = await VideoFlow.WaitForFinalAsync(admin, adminSecond, TimeSpan.FromSeconds(120), () => worker.Log);
        Assert.Equal("ready", adminVideo.GetProperty("status").GetString());
        Assert.Equal(1, adminVideo.GetProperty("processingAttempts").GetInt32());
    }
}

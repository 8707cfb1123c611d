using StreamForge.Core.Storage;

namespace StreamForge.Tests.Processing;

/// <summary>Storage faults, crashes, several workers, deletion mid-job, reruns.</summary>
[Collection(StackCollection.Name)]
public sealed class ResilienceTests(StackFixture stack)
{
    private readonly ApiFactory _api = stack.Api;

    [Fact]
    public async Task A_storage_fault_while_uploading_outputs_is_retried_and_the_video_becomes_ready()
    {
        await using var proxy = new FaultProxy(stack.S3Endpoint, $"PUT /{stack.Bucket}/media/", faults: 5);
        await using var api = stack.NewApi();
        await using var worker = WorkerProcess.Start(stack, api.ConnectionString, new Dictionary<string, string> { ["Storage__ServiceUrl"] = proxy.Endpoint });
        var client = await api.RegisterAsync();
        var videoId = await VideoFlow.UploadAsync(client, await Clips.GenerateAsync(640, 360, 3, name: "fault.mp4"));
        var video = await VideoFlow.WaitForFinalAsync(client, videoId, diagnostics: () => worker.Log);
        Assert.True(video.GetProperty("status").GetString() == "ready", video.ToString());
        Assert.Equal(5, proxy.Faulted);
        using var http = new HttpClient();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(video.GetProperty("manifestUrl").GetString())).StatusCode);
    }

    [Fact]
    public async Task Transient_failures_are_retried_three_times_then_the_video_fails_with_the_reason()
    {
        // Storage refuses every download of a source: transient, so retried with backoff, then failed.
        await using var proxy = new FaultProxy(stack.S3Endpoint, $"GET /{stack.Bucket}/raw/", faults: int.MaxValue);
        await using var api = stack.NewApi();
        await using var worker = WorkerProcess.Start(stack, api.ConnectionString, new Dictionary<string, string> { ["Storage__ServiceUrl"] = proxy.Endpoint });
        var client = await api.RegisterAsync();
        var videoId = await VideoFlow.UploadAsync(client, await Clips.GenerateAsync(640, 360, 2, name: "retry.mp4"));
        var video = await VideoFlow.WaitForFinalAsync(client, videoId, diagnostics: () => worker.Log);
        Assert.Equal("failed", video.GetProperty("status").GetString());
        var outcomes = await TestDb.QueryAsync(api, "SELECT outcome || ' ' || attempt || ' ' || coalesce(error, '') FROM job_runs WHERE video_id = @id ORDER BY id", videoId);
        Assert.True(video.GetProperty("processingAttempts").GetInt32() == 4, string.Join("\n", outcomes) + worker.Log);
        // The owner reads a plain sentence; the dashboard's run keeps the storage error with its key.
        Assert.Equal("A storage error interrupted processing. Gave up after 4 attempts.", video.GetProperty("lastError").GetString());
        outcomes = await TestDb.QueryAsync(api, "SELECT outcome FROM job_runs WHERE video_id = @id ORDER BY id", videoId);
        Assert.Equal(["retrying", "retrying", "retrying", "failed"], outcomes);
        var errors = await TestDb.QueryAsync(api, "SELECT error FROM job_runs WHERE video_id = @id ORDER BY id", videoId);
        Assert.All(errors, e => { Assert.Contains("StorageException: Storage error while", e); Assert.Contains($"raw/{videoId}", e); });
    }

    [Fact]
    public async Task Two_workers_on_one_database_run_six_jobs_exactly_once()
    {
        await using var api = stack.NewApi();
        var client = await api.RegisterAsync();
        var clip = await Clips.GenerateAsync(640, 360, 2, name: "six.mp4");
        var ids = new List<Guid>();
        for (var i = 0; i < 6; i++) ids.Add(await VideoFlow.UploadAsync(client, clip));
        // Six jobs wait before either worker starts, and each worker runs one transcode at a time (FastSettings): the
        // two compete for every job from the first, and one would have to finish all six before the other started to
        // take them all. Queued while a worker was already running, they would go wherever the uploads' pace sent them.
        await using var first = WorkerProcess.Start(stack, api.ConnectionString);
        await using var second = WorkerProcess.Start(stack, api.ConnectionString);
        string[] instances = [await first.TakingJobsAsync(TimeSpan.FromSeconds(60)), await second.TakingJobsAsync(TimeSpan.FromSeconds(60))];
        foreach (var id in ids)
        {
            var video = await VideoFlow.WaitForFinalAsync(client, id, TimeSpan.FromSeconds(120), () => first.Log + second.Log);
            Assert.Equal("ready", video.GetProperty("status").GetString());
            Assert.Equal(1, video.GetProperty("processingAttempts").GetInt32());
        }
        var runs = await TestDb.QueryAsync(api, "SELECT outcome || ' ' || video_id FROM job_runs WHERE video_id = ANY(@ids)", ids.ToArray());
        Assert.Equal(6, runs.Count);
        Assert.All(runs, r => Assert.StartsWith("succeeded", r));
        var workers = await TestDb.QueryAsync(api, "SELECT DISTINCT worker FROM job_runs WHERE video_id = ANY(@ids) ORDER BY worker", ids.ToArray());
        Assert.Equal(instances.Order(StringComparer.Ordinal), workers.Order(StringComparer.Ordinal));
        // One transcode slot each: a node's spare Quartz threads (kept for maintenance and remuxes) take no transcode.
        var overlaps = await TestDb.QueryAsync(api, """
            SELECT a.worker FROM job_runs a JOIN job_runs b ON a.worker = b.worker AND a.id < b.id
            WHERE a.video_id = ANY(@ids) AND b.video_id = ANY(@ids) AND a.started_at < b.finished_at AND b.started_at < a.finished_at
            """, ids.ToArray());
        Assert.Empty(overlaps);
    }

    [Fact]
    public async Task A_worker_killed_mid_transcode_has_its_job_recovered_and_completed()
    {
        await using var api = stack.NewApi();
        // A slow preset keeps ffmpeg busy long enough to be killed mid-way.
        await using var victim = WorkerProcess.Start(stack, api.ConnectionString, new Dictionary<string, string> { ["Media__Preset"] = "medium" });
        var client = await api.RegisterAsync();
        var videoId = await VideoFlow.UploadAsync(client, await Clips.GenerateAsync(1920, 1080, 8, name: "victim.mp4"));
        await VideoFlow.WaitForProgressAsync(client, videoId, 10, () => victim.Log);
        Assert.True(await FfmpegRunningAsync(victim.Id));
        victim.Kill();
        await victim.DisposeAsync();

        await using var rescuer = WorkerProcess.Start(stack, api.ConnectionString);
        var video = await VideoFlow.WaitForFinalAsync(client, videoId, TimeSpan.FromSeconds(120), () => rescuer.Log);
        Assert.True(video.GetProperty("status").GetString() == "ready", video.ToString());
        var outcomes = await TestDb.QueryAsync(api, "SELECT outcome FROM job_runs WHERE video_id = @id ORDER BY id", videoId);
        Assert.Equal(["failed", "succeeded"], outcomes);
    }

    [Fact]
    public async Task A_worker_stopped_mid_transcode_releases_the_job_after_its_grace_period()
    {
        await using var api = stack.NewApi();
        var tempDir = Path.Combine(Path.GetTempPath(), $"sf-grace-{Guid.NewGuid():N}");
        await using var stopping = WorkerProcess.Start(stack, api.ConnectionString, new Dictionary<string, string>
        {
            ["Media__Preset"] = "medium",
            ["Worker__ShutdownGrace"] = "00:00:01",
            ["Worker__TempDirectory"] = tempDir,
        });
        var client = await api.RegisterAsync();
        var videoId = await VideoFlow.UploadAsync(client, await Clips.GenerateAsync(1920, 1080, 8, name: "victim.mp4"));
        await VideoFlow.WaitForProgressAsync(client, videoId, 10, () => stopping.Log);
        Assert.NotEmpty(ProcessesMentioning(tempDir));
        await stopping.DisposeAsync(); // SIGTERM, waits for a clean exit
        Assert.Empty(ProcessesMentioning(tempDir)); // ffmpeg was killed, not orphaned
        Assert.Empty(Directory.Exists(tempDir) ? Directory.GetFileSystemEntries(tempDir) : []);
        var outcomes = await TestDb.QueryAsync(api, "SELECT outcome FROM job_runs WHERE video_id = @id ORDER BY id", videoId);
        Assert.Equal(["released"], outcomes);
        var video = await (await client.GetAsync($"/api/v1/videos/{videoId}")).ReadJsonAsync();
        Assert.Equal("processing", video.GetProperty("status").GetString());
        Assert.Equal(0, video.GetProperty("processingAttempts").GetInt32());

        await using var next = WorkerProcess.Start(stack, api.ConnectionString);
        video = await VideoFlow.WaitForFinalAsync(client, videoId, TimeSpan.FromSeconds(60), () =>
            string.Join("\n", TestDb.QueryAsync(api, "SELECT trigger_name || ' ' || trigger_state || ' ' || job_name FROM qrtz_triggers", videoId).Result) + "\n" + stopping.Log + "\n-----\n" + next.Log);
        Assert.Equal("ready", video.GetProperty("status").GetString());
        Assert.Equal(1, video.GetProperty("processingAttempts").GetInt32());
    }

    [Fact]
    public async Task Deleting_a_video_while_it_is_processed_leaves_no_objects()
    {
        await using var api = stack.NewApi();
        await using var worker = WorkerProcess.Start(stack, api.ConnectionString, new Dictionary<string, string> { ["Media__Preset"] = "medium" });
        var client = await api.RegisterAsync();
        var videoId = await VideoFlow.UploadAsync(client, await Clips.GenerateAsync(1280, 720, 6, name: "doomed.mp4"));
        await VideoFlow.WaitForProgressAsync(client, videoId, 6, () => worker.Log);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/videos/{videoId}")).StatusCode);
        // The run notices the video is gone, says so, and only then has storage to be clean.
        var storage = api.Services.GetRequiredService<IStorageGateway>();
        await Eventually.HoldsAsync(() => worker.Log.Contains($"Video {videoId} was deleted or cancelled while it was processed"),
            TimeSpan.FromSeconds(90), () => $"the run never ended\n{worker.Log}");
        Assert.Empty(await storage.ListKeysAsync(StorageKeys.MediaPrefix(videoId), default));
        Assert.Null(await storage.GetSizeAsync(StorageKeys.Source(videoId), default));
    }

    [Fact]
    public async Task Reprocessing_publishes_a_new_version_and_never_rewrites_a_served_key()
    {
        await using var api = stack.NewApi();
        await using var worker = WorkerProcess.Start(stack, api.ConnectionString);
        var client = await api.RegisterAsync();
        var videoId = await VideoFlow.UploadAsync(client, await Clips.GenerateAsync(854, 480, 3, name: "twice.mp4"));
        var first = await VideoFlow.WaitForFinalAsync(client, videoId, diagnostics: () => worker.Log);
        Assert.Equal("ready", first.GetProperty("status").GetString());
        var v1Prefix = StorageKeys.MediaVersionPrefix(videoId, 1);
        Assert.Contains($"/{v1Prefix}manifest.json", first.GetProperty("manifestUrl").GetString());
        Assert.Contains($"/{v1Prefix}poster.jpg", first.GetProperty("posterUrl").GetString());
        Assert.Contains($"/{v1Prefix}thumbs/thumbs.vtt", first.GetProperty("thumbnailsVttUrl").GetString());
        var before = await StoredObjects.ListAsync(stack, StorageKeys.MediaPrefix(videoId));
        Assert.NotEmpty(before);
        Assert.All(before.Keys, k => Assert.StartsWith(v1Prefix, k));

        // A leftover of an earlier failed attempt in the next (unpublished) version must not survive the rerun.
        var storage = api.Services.GetRequiredService<IStorageGateway>();
        var stray = Path.GetTempFileName();
        await File.WriteAllTextAsync(stray, "stale");
        var strayKey = StorageKeys.Media(videoId, 2, "video/999p/seg_00001.m4s");
        await storage.UploadFileAsync(strayKey, stray, "video/mp4", null, default);

        var admin = await api.LoginAdminAsync(stack);
        var requeue = await admin.PostAsJsonAsync("/api/v1/admin/jobs/requeue", new { videoIds = new[] { videoId } });
        Assert.Equal(1, (await requeue.ReadJsonAsync()).GetProperty("requeued").GetInt32());
        var second = await VideoFlow.WaitForFinalAsync(client, videoId, diagnostics: () => worker.Log);
        Assert.Equal("ready", second.GetProperty("status").GetString());
        // The earlier version is removed only after the new one is live; the run's last line says it is done.
        await Eventually.HoldsAsync(() => worker.Log.Split($"Video {videoId} ready:").Length - 1 == 2,
            TimeSpan.FromSeconds(60), () => $"the second run did not finish\n{worker.Log}");

        var v2Prefix = StorageKeys.MediaVersionPrefix(videoId, 2);
        var manifestUrl = second.GetProperty("manifestUrl").GetString()!;
        Assert.Contains($"/{v2Prefix}manifest.json", manifestUrl);
        Assert.NotEqual(first.GetProperty("manifestUrl").GetString(), manifestUrl);
        Assert.NotEqual(first.GetProperty("posterUrl").GetString(), second.GetProperty("posterUrl").GetString());
        Assert.Contains($"/{v2Prefix}", second.GetProperty("thumbnailsVttUrl").GetString());

        var after = await StoredObjects.ListAsync(stack, StorageKeys.MediaPrefix(videoId));
        Assert.All(after.Keys, k => Assert.StartsWith(v2Prefix, k));
        Assert.DoesNotContain(strayKey, after.Keys);
        Assert.Empty(before.Keys.Intersect(after.Keys)); // every v1 key is gone, so none was given new bytes
        // One complete set: the same files as v1, under v2.
        Assert.Equal(before.Keys.Select(k => k[v1Prefix.Length..]).Order(), after.Keys.Select(k => k[v2Prefix.Length..]).Order());

        // The new manifest plays: everything it names is served.
        using var http = new HttpClient();
        var manifest = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(manifestUrl)).RootElement;
        var baseUrl = manifestUrl[..(manifestUrl.LastIndexOf('/') + 1)];
        var named = manifest.GetProperty("video").EnumerateArray().Append(manifest.GetProperty("audio"))
            .SelectMany(t => t.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("url").GetString()!).Prepend(t.GetProperty("init").GetString()!))
            .ToList();
        Assert.True(named.Count >= 4, string.Join(", ", named));
        foreach (var url in named) Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(baseUrl + url)).StatusCode);
        // The old version is gone for readers too (the origin; a CDN may still hold cached copies, which stay valid).
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync(StoredObjects.OriginUrl(stack, before.Keys.First()))).StatusCode);

        var outcomes = await TestDb.QueryAsync(api, "SELECT outcome FROM job_runs WHERE video_id = @id ORDER BY id", videoId);
        Assert.Equal(["succeeded", "succeeded"], outcomes);

        // Deleting the video removes every version.
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/videos/{videoId}")).StatusCode);
        Assert.Empty(await storage.ListKeysAsync(StorageKeys.MediaPrefix(videoId), default));
    }

    [Fact]
    public async Task A_source_that_kills_its_worker_every_time_fails_after_the_last_attempt()
    {
        await using var api = stack.NewApi();
        // One retry: the second crash uses the last attempt. Medium keeps ffmpeg busy long enough to be killed.
        var settings = new Dictionary<string, string>
        {
            ["Media__Preset"] = "medium",
            ["Jobs__RetryDelays__0"] = "00:00:00.200",
            ["Jobs__RetryDelays__1"] = "",
            ["Jobs__RetryDelays__2"] = "",
        };
        var client = await api.RegisterAsync();
        var videoId = Guid.Empty;
        var logs = new System.Text.StringBuilder();
        for (var crash = 1; crash <= 2; crash++)
        {
            await using var victim = WorkerProcess.Start(stack, api.ConnectionString, settings);
            if (crash == 1) videoId = await VideoFlow.UploadAsync(client, await Clips.GenerateAsync(1920, 1080, 8, name: "crasher.mp4"));
            // Kill only once this worker's own attempt is transcoding.
            JsonElement? seen = null;
            await Eventually.HoldsAsync(async () =>
                {
                    seen = await (await client.GetAsync($"/api/v1/videos/{videoId}")).ReadJsonAsync();
                    return seen.Value.GetProperty("processingAttempts").GetInt32() == crash && await FfmpegRunningAsync(victim.Id);
                },
                TimeSpan.FromSeconds(90), () => $"attempt {crash} never started transcoding: {seen}\n{logs}{victim.Log}");
            victim.Kill();
            await victim.DisposeAsync();
            logs.Append(victim.Log);
        }

        await using var last = WorkerProcess.Start(stack, api.ConnectionString, settings);
        var final = await VideoFlow.WaitForFinalAsync(client, videoId, TimeSpan.FromSeconds(120), () => logs + last.Log);
        Assert.True(final.GetProperty("status").GetString() == "failed", final.ToString());
        Assert.Equal("Processing stopped the worker 2 times; giving up.", final.GetProperty("lastError").GetString());
        Assert.Equal(2, final.GetProperty("processingAttempts").GetInt32());
        var runs = await TestDb.QueryAsync(api, "SELECT outcome || ' ' || coalesce(error, '') FROM job_runs WHERE video_id = @id ORDER BY id", videoId);
        Assert.Equal(3, runs.Count);
        Assert.All(runs, r => Assert.StartsWith("failed", r));
        Assert.Single(runs, r => r.Contains("giving up"));
        // Nothing left to run, nothing published.
        await Eventually.HoldsAsync(async () => (await TestDb.QueryAsync(api, "SELECT trigger_name FROM qrtz_triggers WHERE job_name = @id::text", videoId)).Count == 0,
            TimeSpan.FromSeconds(15), () => "the job is still scheduled after failing");
        Assert.Equal(3, (await TestDb.QueryAsync(api, "SELECT outcome FROM job_runs WHERE video_id = @id", videoId)).Count);
        var storage = api.Services.GetRequiredService<IStorageGateway>();
        Assert.Empty(await storage.ListKeysAsync(StorageKeys.MediaPrefix(videoId), default));
        Assert.DoesNotContain("giving up", logs.ToString());
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(last.Log, "used all 2 attempts"));
    }

    /// <summary>Live processes whose command line contains <paramref name="text"/> (ffmpeg names its work folder).</summary>
    private static List<int> ProcessesMentioning(string text) => ProcFs.Mentioning(text);

    internal static Task<bool> FfmpegRunningAsync(int parentPid) => Task.FromResult(ProcFs.Children(parentPid, "ffmpeg").Count > 0);

}

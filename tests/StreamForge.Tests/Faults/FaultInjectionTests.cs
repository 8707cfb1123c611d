using System.Globalization;
using StreamForge.Core.Storage;
using StreamForge.Tests.Processing;

namespace StreamForge.Tests.Faults;

/// <summary>
/// Faults injected into real processes while a video is processed: the worker killed, the S3 server stopped,
/// PostgreSQL restarted, the temporary folder too small. Each repetition judges its video from the database
/// (job runs, status) and the bucket, records runs/recovered/lost/duplicated (see <see cref="FaultReport"/>) and
/// asserts nothing was lost or made ready twice. FAULT_REPEATS (5 under SOAK=1) repeats every fault.
/// The browser-side faults (API killed, storage down during part uploads) are web/e2e specs.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class FaultInjectionTests(FaultStackFixture stack)
{
    // A slow preset keeps ffmpeg busy long enough for a fault to land mid-transcode.
    private static readonly Dictionary<string, string> SlowTranscode = new() { ["Media__Preset"] = "medium" };

    [Theory]
    [MemberData(nameof(FaultReport.Repetitions), MemberType = typeof(FaultReport))]
    public Task A_worker_killed_mid_transcode_leaves_the_video_ready_exactly_once_and_no_stray_objects(int repetition) =>
        FaultReport.RunAsync("kill-worker", async () =>
        {
            _ = repetition;
            await using var api = stack.NewApi();
            var client = await api.RegisterAsync();
            await using var victim = WorkerProcess.Start(stack, api.ConnectionString, SlowTranscode);
            var videoId = await VideoFlow.UploadAsync(client, await Clips.GenerateAsync(1280, 720, 6, name: "fault-kill.mp4"));
            await WaitUntilTranscodingAsync(client, videoId, victim);
            victim.Kill();
            await victim.DisposeAsync();

            await using var rescuer = WorkerProcess.Start(stack, api.ConnectionString);
            var verdict = await JudgeAsync(api, client, videoId, "ready", null, () => victim.Log + "\n-----\n" + rescuer.Log);
            var outcomes = await OutcomesAsync(api, videoId);
            Assert.Equal(["failed", "succeeded"], outcomes);
            await AssertOnlyTheFinalVersionIsStoredAsync(api, client, videoId);
            return verdict;
        });

    [Theory]
    [MemberData(nameof(FaultReport.Repetitions), MemberType = typeof(FaultReport))]
    public Task Storage_stopped_during_a_job_is_retried_with_backoff_and_the_video_becomes_ready_once_it_is_back(int repetition) =>
        FaultReport.RunAsync("s3-down-job", async () =>
        {
            _ = repetition;
            await using var api = stack.NewApi();
            var client = await api.RegisterAsync();
            // Long enough between attempts that the restarted server is up before the retry.
            await using var worker = WorkerProcess.Start(stack, api.ConnectionString, new Dictionary<string, string>
            {
                ["Jobs__RetryDelays__0"] = "00:00:02",
                ["Jobs__RetryDelays__1"] = "00:00:04",
                ["Jobs__RetryDelays__2"] = "00:00:08",
            });
            var videoId = await VideoFlow.UploadAsync(client, await Clips.GenerateAsync(854, 480, 4, name: "fault-s3.mp4"));
            // The source is downloaded at 5 %: storage goes down under the transcode, before the outputs go up.
            await VideoFlow.WaitForProgressAsync(client, videoId, 5, () => worker.Log);
            await WithStorageDownAsync(async () =>
            {
                // Down until the worker has met the outage and scheduled its retry: the fault cannot be missed.
                await WaitUntilAsync("the worker to schedule a retry", async () => (await OutcomesAsync(api, videoId)).Contains("retrying"), () => worker.Log);
            });
            var verdict = await JudgeAsync(api, client, videoId, "ready", null, () => worker.Log);
            var runs = await QueryAsync(api, "SELECT outcome || ' ' || coalesce(error, '') FROM job_runs WHERE video_id = @id ORDER BY id", videoId);
            // The run keeps the whole story for the dashboard; the owner reads the plain sentence.
            Assert.True(runs[0].StartsWith("retrying StorageException: Storage error", StringComparison.Ordinal), string.Join("\n", runs));
            Assert.Equal("succeeded", (await OutcomesAsync(api, videoId))[^1]);
            await AssertOnlyTheFinalVersionIsStoredAsync(api, client, videoId);
            return verdict;
        });

    [Theory]
    [MemberData(nameof(FaultReport.Repetitions), MemberType = typeof(FaultReport))]
    public Task Storage_down_past_the_last_attempt_fails_the_video_with_a_storage_error(int repetition) =>
        FaultReport.RunAsync("s3-down-job-for-good", async () =>
        {
            _ = repetition;
            await using var api = stack.NewApi();
            var client = await api.RegisterAsync();
            // Retries after 0.2, 0.4, 0.8 s. Storage goes down once a run transcodes (a worker starting without
            // storage waits for it, which is not this fault).
            await using var worker = WorkerProcess.Start(stack, api.ConnectionString, SlowTranscode);
            var videoId = await VideoFlow.UploadAsync(client, await Clips.GenerateAsync(854, 480, 3, name: "fault-s3-gone.mp4"));
            await WaitUntilTranscodingAsync(client, videoId, worker);
            FaultVerdict verdict = null!;
            await WithStorageDownAsync(async () =>
            {
                verdict = await JudgeAsync(api, client, videoId, "failed", "A storage error interrupted processing.", () => worker.Log);
            });
            var outcomes = await OutcomesAsync(api, videoId);
            Assert.True(outcomes.SequenceEqual(["retrying", "retrying", "retrying", "failed"]), $"runs: {string.Join(", ", outcomes)}\n{worker.Log}");
            // Nothing was published, and the source the owner uploaded is still there to retry from.
            Assert.Empty(await StoredObjects.ListAsync(stack, StorageKeys.MediaPrefix(videoId)));
            Assert.Single(await StoredObjects.ListAsync(stack, StorageKeys.Source(videoId)));
            return verdict;
        });

    [Theory]
    [MemberData(nameof(FaultReport.Repetitions), MemberType = typeof(FaultReport))]
    public Task PostgreSQL_restarted_during_processing_loses_no_job_and_runs_none_twice(int repetition) =>
        FaultReport.RunAsync("postgres-restart", async () =>
        {
            _ = repetition;
            await using var api = stack.NewApi();
            var client = await api.RegisterAsync();
            await using var worker = WorkerProcess.Start(stack, api.ConnectionString, SlowTranscode);
            var videoId = await VideoFlow.UploadAsync(client, await Clips.GenerateAsync(1280, 720, 6, name: "fault-pg.mp4"));
            await WaitUntilTranscodingAsync(client, videoId, worker);

            await stack.ControlAsync("postgres/stop");
            try
            {
                // While the database is down the API answers, with an error rather than hanging.
                using var down = await client.GetAsync($"/api/v1/videos/{videoId}");
                Assert.False(down.IsSuccessStatusCode, $"answered {(int)down.StatusCode} with the database stopped");
            }
            finally
            {
                await stack.ControlAsync("postgres/start");
            }
            // The API serves again once the database is back (its pooled connections broke with the restart).
            await WaitUntilAsync("the API to answer after the restart", async () => (await TryGetVideoAsync(client, videoId)) is not null, () => worker.Log);

            var verdict = await JudgeAsync(api, client, videoId, "ready", null, () => worker.Log);
            await AssertOnlyTheFinalVersionIsStoredAsync(api, client, videoId);
            // This test process's idle pooled connections (the next test's database setup) died with the restart.
            Npgsql.NpgsqlConnection.ClearAllPools();
            return verdict;
        });

    [Theory]
    [MemberData(nameof(FaultReport.Repetitions), MemberType = typeof(FaultReport))]
    public Task A_temp_folder_too_small_fails_the_video_clearly_cleans_up_and_the_worker_serves_the_next_one(int repetition) =>
        FaultReport.RunAsync("temp-too-small", async () =>
        {
            _ = repetition;
            var large = await Clips.GenerateAsync(1280, 720, 3, name: "fault-temp-large.mp4");
            var small = await Clips.GenerateAsync(320, 180, 1, name: "fault-temp-small.mp4");
            var largeBytes = new FileInfo(large).Length;
            Assert.True(new FileInfo(small).Length * 3 < largeBytes * 2, "the small clip must fit where the large one does not");
            var tempDir = Directory.CreateTempSubdirectory("sf-fault-temp-").FullName;
            try
            {
                await using var api = stack.NewApi();
                var client = await api.RegisterAsync();
                // Room for twice the large source: the job needs three times its size (Worker:TempSpaceFactor).
                await using var worker = WorkerProcess.Start(stack, api.ConnectionString, new Dictionary<string, string>
                {
                    ["Worker__TempDirectory"] = tempDir,
                    ["Worker__TempSpaceLimitBytes"] = (largeBytes * 2).ToString(CultureInfo.InvariantCulture),
                });
                var tooLarge = await VideoFlow.UploadAsync(client, large);
                var verdict = await JudgeAsync(api, client, tooLarge, "failed", "Not enough temporary disk space", () => worker.Log);
                var failed = await TryGetVideoAsync(client, tooLarge);
                Assert.Equal(1, failed!.Value.GetProperty("processingAttempts").GetInt32()); // permanent: no retry on this worker
                // The job's folder goes right after the failure is recorded.
                await WaitUntilAsync("the failed job's temporary files to be removed", () => Task.FromResult(Directory.GetFileSystemEntries(tempDir).Length == 0), () => worker.Log);

                var next = await VideoFlow.UploadAsync(client, small);
                var served = await JudgeAsync(api, client, next, "ready", null, () => worker.Log);
                Assert.True(served.Recovered, $"the worker did not process the next video: {served.Detail}");
                Assert.Single(await QueryAsync(api, "SELECT DISTINCT worker FROM job_runs WHERE video_id = ANY(@ids)", new[] { tooLarge, next }));
                await WaitUntilAsync("the next job's temporary files to be removed", () => Task.FromResult(Directory.GetFileSystemEntries(tempDir).Length == 0), () => worker.Log);
                return verdict;
            }
            finally
            {
                Directory.Delete(tempDir, recursive: true);
            }
        });

    /// <summary>Stops the stack's S3 server around <paramref name="body"/>; it is always started again.</summary>
    private async Task WithStorageDownAsync(Func<Task> body)
    {
        await stack.ControlAsync("s3/stop");
        try { await body(); }
        finally { await stack.ControlAsync("s3/start"); }
    }

    /// <summary>
    /// Waits for the video to end, then judges it from the database: recovered when it reached
    /// <paramref name="expected"/> (with <paramref name="errorPrefix"/> in its error), duplicated when more than one
    /// run succeeded, lost when it is still processing with no trigger left to run it.
    /// </summary>
    private static async Task<FaultVerdict> JudgeAsync(ApiFactory api, HttpClient client, Guid videoId, string expected, string? errorPrefix, Func<string> diagnostics)
    {
        JsonElement? video = null;
        List<string> outcomes = [];
        // A timeout is a verdict here (lost), not a test failure.
        await Eventually.WithinAsync(async () =>
        {
            video = await TryGetVideoAsync(client, videoId) ?? video;
            // A run records its outcome just after the video's status changes.
            return video?.GetProperty("status").GetString() is "ready" or "failed" && !(outcomes = await OutcomesAsync(api, videoId)).Contains("running");
        }, TimeSpan.FromSeconds(150), TimeSpan.FromMilliseconds(250));
        var status = video?.GetProperty("status").GetString();
        var error = video?.TryGetProperty("lastError", out var e) == true ? e.GetString() : null;
        outcomes = await OutcomesAsync(api, videoId);
        var scheduled = await QueryAsync(api, "SELECT trigger_name FROM qrtz_triggers WHERE job_name = @id::text", videoId);
        var detail = $"status {status}, error {error}, runs [{string.Join(", ", outcomes)}], triggers {scheduled.Count}\n{diagnostics()}";
        var final = status is "ready" or "failed";
        return new FaultVerdict(
            Recovered: status == expected && (errorPrefix is null || error?.StartsWith(errorPrefix, StringComparison.Ordinal) == true),
            Lost: !final && scheduled.Count == 0,
            Duplicated: outcomes.Count(o => o == "succeeded") > 1,
            Detail: detail);
    }

    /// <summary>The video as its owner sees it, or null while the API cannot answer (database down).</summary>
    private static async Task<JsonElement?> TryGetVideoAsync(HttpClient client, Guid videoId)
    {
        try
        {
            using var response = await client.GetAsync($"/api/v1/videos/{videoId}");
            return response.StatusCode == HttpStatusCode.OK ? await response.ReadJsonAsync() : null;
        }
        catch (HttpRequestException) { return null; }
    }

    private static Task<List<string>> OutcomesAsync(ApiFactory api, Guid videoId) =>
        QueryAsync(api, "SELECT outcome FROM job_runs WHERE video_id = @id ORDER BY id", videoId);

    /// <summary><see cref="TestDb.QueryAsync"/>, past pooled connections that a database restart broke.</summary>
    private static async Task<List<string>> QueryAsync(ApiFactory api, string sql, object id)
    {
        for (var attempt = 1; ; attempt++)
        {
            try { return await TestDb.QueryAsync(api, sql, id); }
            catch (Npgsql.NpgsqlException) when (attempt < 3) { Npgsql.NpgsqlConnection.ClearAllPools(); }
        }
    }

    /// <summary>
    /// The bucket holds only what the video's one published version serves: every media key under that version's
    /// prefix and written by the run that succeeded (a key only an earlier, failed attempt wrote would be a stray).
    /// </summary>
    private async Task AssertOnlyTheFinalVersionIsStoredAsync(ApiFactory api, HttpClient client, Guid videoId)
    {
        var video = (await TryGetVideoAsync(client, videoId))!.Value;
        var manifestUrl = video.GetProperty("manifestUrl").GetString()!;
        var version = int.Parse((await QueryAsync(api, "SELECT media_version::text FROM videos WHERE id = @id", videoId)).Single(), CultureInfo.InvariantCulture);
        var prefix = StorageKeys.MediaVersionPrefix(videoId, version);
        Assert.Contains($"/{prefix}", manifestUrl);
        var stored = await StoredObjects.ListAsync(stack, StorageKeys.MediaPrefix(videoId));
        Assert.NotEmpty(stored);
        Assert.All(stored.Keys, k => Assert.StartsWith(prefix, k));
        var started = DateTimeOffset.FromUnixTimeMilliseconds((long)(double.Parse((await QueryAsync(api,
            "SELECT extract(epoch FROM started_at)::text FROM job_runs WHERE video_id = @id AND outcome = 'succeeded'", videoId)).Single(), CultureInfo.InvariantCulture) * 1000));
        // S3 dates have whole seconds.
        var stale = stored.Where(kv => kv.Value.LastModified is { } m && new DateTimeOffset(m.ToUniversalTime()) < started.AddSeconds(-1)).Select(kv => kv.Key).ToList();
        Assert.True(stale.Count == 0, $"objects older than the succeeded run: {string.Join(", ", stale)}");
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(manifestUrl)).StatusCode);
    }

    /// <summary>
    /// Until the video's run has its source (progress past the download) and ffmpeg runs under the worker: the worker's
    /// start-up check runs an ffmpeg too, which is not a transcode to hit.
    /// </summary>
    private static Task WaitUntilTranscodingAsync(HttpClient client, Guid videoId, WorkerProcess worker) =>
        WaitUntilAsync("the video to be transcoding", async () =>
            (await TryGetVideoAsync(client, videoId))?.GetProperty("progress").GetInt32() >= 5 && await ResilienceTests.FfmpegRunningAsync(worker.Id),
            () => worker.Log);

    private static Task WaitUntilAsync(string what, Func<Task<bool>> condition, Func<string> diagnostics) =>
        Eventually.HoldsAsync(condition, TimeSpan.FromSeconds(90), () => $"waiting for {what}\n{diagnostics()}");
}

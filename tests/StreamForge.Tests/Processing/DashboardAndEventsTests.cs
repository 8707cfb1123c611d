namespace StreamForge.Tests.Processing;

[Collection(StackCollection.Name)]
public sealed class DashboardAndEventsTests(StackFixture stack) : IAsyncLifetime
{
    private ApiFactory _api = null!;
    private WorkerProcess _worker = null!;

    public Task InitializeAsync()
    {
        _api = stack.NewApi();
        _worker = WorkerProcess.Start(stack, _api.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _worker.DisposeAsync();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task The_owner_sees_progress_and_the_final_state_live_over_sse_from_a_cookie_session()
    {
        var browser = _api.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true });
        var register = await browser.PostAsJsonAsync("/api/v1/auth/register", new { email = $"sse{Guid.NewGuid():N}@example.com", password = "long enough pw" });
        var token = (await register.ReadJsonAsync()).GetProperty("accessToken").GetString();
        var api = _api.CreateClient();
        api.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var stranger = await _api.RegisterAsync();

        // EventSource sends the cookie, nothing else.
        using var response = await browser.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var strangerResponse = await stranger.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead);
        var events = EventStream.VideoEventsAsync(await response.Content.ReadAsStreamAsync());
        var strangerEvents = EventStream.VideoEventsAsync(await strangerResponse.Content.ReadAsStreamAsync());

        var videoId = await VideoFlow.UploadAsync(api, await Clips.GenerateAsync(1280, 720, 6, name: "sse.mp4"));
        var seen = new List<JsonElement>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await foreach (var e in events.WithCancellation(timeout.Token))
        {
            if (e.GetProperty("videoId").GetGuid() != videoId) continue;
            seen.Add(e);
            if (e.GetProperty("status").GetString() is "ready" or "failed") break;
        }
        // The upload's own transitions are announced first (pending_upload, and uploading for multipart), then processing.
        var uploadPhase = seen.TakeWhile(e => e.GetProperty("status").GetString() is "pending_upload" or "uploading").Count();
        Assert.Equal("pending_upload", seen[0].GetProperty("status").GetString());
        Assert.Equal("processing", seen[uploadPhase].GetProperty("status").GetString());
        Assert.Equal("ready", seen[^1].GetProperty("status").GetString());
        var progress = seen.Where(e => e.GetProperty("status").GetString() == "processing").Select(e => e.GetProperty("progress").GetInt32()).ToList();
        Assert.True(progress.Count >= 3, $"expected progress ticks, got {string.Join(",", progress)}");
        Assert.Equal(progress.Order(), progress);

        // Someone else's stream stayed silent about this video: events arrive in order, so once the stranger hears
        // about an upload of their own, made after this one was ready, anything leaked would have come before it.
        var badFile = Path.Combine(Path.GetTempPath(), $"marker-{Guid.NewGuid():N}.mp4");
        await File.WriteAllTextAsync(badFile, "not a video, only a marker event");
        var marker = await VideoFlow.UploadAsync(stranger, badFile);
        var strangerSaw = new List<Guid>();
        using var markerTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var e in strangerEvents.WithCancellation(markerTimeout.Token))
        {
            strangerSaw.Add(e.GetProperty("videoId").GetGuid());
            if (strangerSaw[^1] == marker) break;
        }
        Assert.DoesNotContain(videoId, strangerSaw);
        Assert.Equal(marker, strangerSaw[^1]);
    }

    [Fact]
    public async Task The_admin_job_api_shows_states_attempts_workers_and_can_requeue_and_delete()
    {
        var user = await _api.RegisterAsync();
        var good = await VideoFlow.UploadAsync(user, await Clips.GenerateAsync(640, 360, 2, name: "dash-good.mp4"));
        var badFile = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.mp4");
        await File.WriteAllTextAsync(badFile, "not a video at all");
        var bad = await VideoFlow.UploadAsync(user, badFile);
        await VideoFlow.WaitForFinalAsync(user, good, diagnostics: () => _worker.Log);
        await VideoFlow.WaitForFinalAsync(user, bad, diagnostics: () => _worker.Log);

        var admin = await _api.LoginAdminAsync(stack);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync("/api/v1/admin/jobs/stats")).StatusCode);
        var stats = await (await admin.GetAsync("/api/v1/admin/jobs/stats")).ReadJsonAsync();
        Assert.True(stats.GetProperty("succeeded").GetInt32() >= 1);
        Assert.True(stats.GetProperty("failed").GetInt32() >= 1);
        Assert.True(stats.GetProperty("history").GetArrayLength() >= 1);

        var succeeded = await (await admin.GetAsync("/api/v1/admin/jobs?state=succeeded")).ReadJsonAsync();
        var goodJob = succeeded.GetProperty("items").EnumerateArray().Single(j => j.GetProperty("videoId").GetGuid() == good);
        Assert.True(goodJob.GetProperty("durationMs").GetInt64() > 0);
        Assert.True(goodJob.GetProperty("queueLatencyMs").GetInt64() >= 0);
        Assert.False(string.IsNullOrEmpty(goodJob.GetProperty("worker").GetString()));

        var failed = await (await admin.GetAsync("/api/v1/admin/jobs?state=failed")).ReadJsonAsync();
        var badJob = failed.GetProperty("items").EnumerateArray().Single(j => j.GetProperty("videoId").GetGuid() == bad);
        Assert.False(string.IsNullOrWhiteSpace(badJob.GetProperty("lastError").GetString()));

        var detail = await (await admin.GetAsync($"/api/v1/admin/jobs/{bad}")).ReadJsonAsync();
        Assert.Equal("failed", detail.GetProperty("attempts")[0].GetProperty("outcome").GetString());

        var workers = await (await admin.GetAsync("/api/v1/admin/workers")).ReadJsonAsync();
        Assert.Contains(workers.EnumerateArray(), w => !w.GetProperty("isApi").GetBoolean()
            && DateTimeOffset.UtcNow - w.GetProperty("lastHeartbeat").GetDateTimeOffset() < TimeSpan.FromSeconds(30));

        // Requeue the succeeded one: it runs again and succeeds again.
        var requeue = await admin.PostAsJsonAsync("/api/v1/admin/jobs/requeue", new { videoIds = new[] { good } });
        Assert.Equal(1, (await requeue.ReadJsonAsync()).GetProperty("requeued").GetInt32());
        var again = default(JsonElement);
        await Eventually.HoldsAsync(async () =>
        {
            again = await (await admin.GetAsync($"/api/v1/admin/jobs/{good}")).ReadJsonAsync();
            return again.GetProperty("attempts").GetArrayLength() == 2
                && again.GetProperty("attempts").EnumerateArray().All(a => a.GetProperty("outcome").GetString() == "succeeded");
        }, TimeSpan.FromSeconds(90), () => $"the requeued job did not run again: {again}\n{_worker.Log}", TimeSpan.FromMilliseconds(250));
        Assert.Equal("ready", (await VideoFlow.WaitForFinalAsync(user, good, diagnostics: () => _worker.Log)).GetProperty("status").GetString());

        var delete = await admin.PostAsJsonAsync("/api/v1/admin/jobs/delete", new { videoIds = new[] { bad } });
        Assert.Equal(1, (await delete.ReadJsonAsync()).GetProperty("deleted").GetInt32());
        var empty = await admin.PostAsJsonAsync("/api/v1/admin/jobs/requeue", new { videoIds = Array.Empty<Guid>() });
        await empty.AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.GetAsync("/api/v1/admin/jobs?state=bogus")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }
}

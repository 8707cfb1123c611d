using System.Text;
using Npgsql;
using StreamForge.Core.Imports;
using StreamForge.Core.Quota;
using StreamForge.Core.Storage;

namespace StreamForge.Tests.Uploads;

/// <summary>
/// Import from a URL against the real stack: a real worker fetches from a raw HTTP server on 127.0.0.1 into the S3
/// server, the real probe and transcoder take it from there. Refusals at the API (the SSRF list), the size cap that
/// counts bytes instead of believing Content-Length, the time cap, and the quota race against uploads.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class UrlImportTests(StackFixture stack) : IAsyncLifetime
{
    private const string AllowPrivate = "Imports:AllowPrivateTargets";
    private ApiFactory _api = null!;
    private WorkerProcess _worker = null!;
    private ImportSourceServer _source = null!;
    private readonly HttpClient _http = new();
    private readonly TaskCompletionSource _endlessClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task InitializeAsync()
    {
        _api = stack.NewApi(new Dictionary<string, string> { [AllowPrivate] = "true" });
        _worker = WorkerProcess.Start(stack, _api.ConnectionString, new Dictionary<string, string>
        {
            ["Imports__AllowPrivateTargets"] = "true",
            ["Imports__RetryDelay"] = "00:00:00.200",
        });
        var clip = await File.ReadAllBytesAsync(await Clips.GenerateAsync(640, 360, 2, name: "import.mp4"));
        _source = new ImportSourceServer()
            .Map("/clip.mp4", (s, ct) => ImportSourceServer.BodyAsync(s, "200 OK", "video/mp4", clip, ct))
            .Map("/notes.txt", (s, ct) => ImportSourceServer.BodyAsync(s, "200 OK", "text/plain", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("These are meeting notes, nothing to watch.\n", 200))), ct))
            .Map("/lie.mp4", LieAsync)
            .Map("/flaky.mp4", (s, ct) => _source.Requests("/flaky.mp4") <= 2
                ? ImportSourceServer.BodyAsync(s, "503 Service Unavailable", "text/plain", "try later"u8.ToArray(), ct)
                : ImportSourceServer.BodyAsync(s, "200 OK", "video/mp4", clip, ct))
            .Map("/endless.mp4", async (s, ct) =>
            {
                try
                {
                    await ImportSourceServer.HeadersAsync(s, "200 OK", "Content-Type: video/mp4", "Content-Length: 100000000");
                    using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
                    while (await tick.WaitForNextTickAsync(ct))
                    {
                        await s.WriteAsync(new byte[100], ct);
                        await s.FlushAsync(ct);
                    }
                }
                finally
                {
                    _endlessClosed.TrySetResult();
                }
            });
    }

    public async Task DisposeAsync()
    {
        await _worker.DisposeAsync();
        await _source.DisposeAsync();
        await _api.DisposeAsync();
        _http.Dispose();
    }

    [Fact]
    public async Task An_import_from_a_local_server_is_fetched_processed_and_plays()
    {
        var client = await _api.RegisterAsync();
        await using var events = await OpenEventsAsync(client);

        var response = await client.PostAsJsonAsync("/api/v1/uploads/from-url", new { url = _source.Url("/clip.mp4"), maxQuality = 360 });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var created = await response.ReadJsonAsync();
        var videoId = created.GetProperty("id").GetGuid();
        Assert.Equal("uploading", created.GetProperty("status").GetString());
        Assert.Equal("clip", created.GetProperty("title").GetString());

        var seen = await events.UntilAsync(videoId, "ready", TimeSpan.FromSeconds(120), () => _worker.Log);
        var statuses = seen.Select(e => e.GetProperty("status").GetString()).Distinct().ToList();
        Assert.Equal(["uploading", "processing", "ready"], statuses);

        var video = await (await client.GetAsync($"/api/v1/videos/{videoId}")).ReadJsonAsync();
        Assert.Equal("ready", video.GetProperty("status").GetString());
        using var manifest = await _http.GetAsync(video.GetProperty("manifestUrl").GetString());
        Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
        Assert.Equal(new FileInfo(await Clips.GenerateAsync(640, 360, 2, name: "import.mp4")).Length, video.GetProperty("sizeBytes").GetInt64());
        var me = await (await client.GetAsync("/api/v1/me")).ReadJsonAsync();
        Assert.Equal(video.GetProperty("sizeBytes").GetInt64(), me.GetProperty("storageUsedBytes").GetInt64());
        await AssertBalancedAsync(_api, me.GetProperty("id").GetGuid());
        // The upload protocol has no part in an import: nothing to sign, nothing to complete by hand.
        var sign = await client.PostAsJsonAsync($"/api/v1/uploads/{videoId}/parts/sign", new { partNumbers = new[] { 1 } });
        Assert.NotEqual(HttpStatusCode.OK, sign.StatusCode);
    }

    [Fact]
    public async Task A_body_longer_than_declared_is_stopped_at_the_quota_cap_discarded_and_released()
    {
        var client = await _api.RegisterAsync();
        var userId = (await (await client.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("id").GetGuid();
        await SetQuotaAsync(_api, userId, 15_000_000);

        var videoId = await ImportAsync(client, _source.Url("/lie.mp4"));
        var video = await VideoFlow.WaitForFinalAsync(client, videoId, TimeSpan.FromSeconds(90), () => _worker.Log);
        Assert.Equal("failed", video.GetProperty("status").GetString());
        Assert.Contains("larger than your remaining quota of 15 MB", video.GetProperty("lastError").GetString());
        Assert.Equal(1, _source.Requests("/lie.mp4"));

        var storage = _api.Services.GetRequiredService<IStorageGateway>();
        Assert.Null(await storage.GetSizeAsync(StorageKeys.Source(videoId), default));
        Assert.Empty(await storage.ListKeysAsync($"raw/{videoId:D}/", default));
        var me = await (await client.GetAsync("/api/v1/me")).ReadJsonAsync();
        Assert.Equal(0, me.GetProperty("storageUsedBytes").GetInt64());
        await AssertBalancedAsync(_api, userId);
    }

    [Fact]
    public async Task Aborting_an_import_stops_the_fetch_at_once_and_releases_it()
    {
        var client = await _api.RegisterAsync();
        var videoId = await ImportAsync(client, _source.Url("/endless.mp4"));
        await Eventually.HoldsAsync(() => _source.Requests("/endless.mp4") == 1, TimeSpan.FromSeconds(60), () => "the worker never fetched\n" + _worker.Log);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/uploads/{videoId}")).StatusCode);
        // Far sooner than a part (10 MB at 2 kB/s) or the time cap (30 minutes): the worker hung up because it was told to.
        var closed = await Task.WhenAny(_endlessClosed.Task, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.True(closed == _endlessClosed.Task, "the worker kept fetching an aborted import\n" + _worker.Log);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/videos/{videoId}")).StatusCode);
        var me = await (await client.GetAsync("/api/v1/me")).ReadJsonAsync();
        Assert.Equal(0, me.GetProperty("storageUsedBytes").GetInt64());
    }

    [Fact]
    public async Task A_server_error_is_retried_with_backoff_until_the_file_comes()
    {
        var client = await _api.RegisterAsync();
        var videoId = await ImportAsync(client, _source.Url("/flaky.mp4"));
        var video = await VideoFlow.WaitForFinalAsync(client, videoId, TimeSpan.FromSeconds(120), () => _worker.Log);
        Assert.Equal("ready", video.GetProperty("status").GetString());
        Assert.Equal(3, _source.Requests("/flaky.mp4"));
    }

    [Fact]
    public async Task A_missing_file_fails_readably_at_once()
    {
        var client = await _api.RegisterAsync();
        var videoId = await ImportAsync(client, _source.Url("/gone.mp4"));
        var video = await VideoFlow.WaitForFinalAsync(client, videoId, TimeSpan.FromSeconds(60), () => _worker.Log);
        Assert.Equal("failed", video.GetProperty("status").GetString());
        Assert.Contains("answered 404", video.GetProperty("lastError").GetString());
        // A 4xx is final: one request, no retries.
        Assert.Equal(1, _source.Requests("/gone.mp4"));
    }

    [Fact]
    public async Task A_body_that_is_not_a_video_fails_with_the_probes_reason()
    {
        var client = await _api.RegisterAsync();
        var videoId = await ImportAsync(client, _source.Url("/notes.txt"));
        var video = await VideoFlow.WaitForFinalAsync(client, videoId, TimeSpan.FromSeconds(90), () => _worker.Log);
        Assert.Equal("failed", video.GetProperty("status").GetString());
        Assert.Contains("not a video", video.GetProperty("lastError").GetString());
    }

    [Fact]
    public async Task A_slow_drip_is_stopped_at_the_time_cap_and_a_silent_source_at_the_stall_timeout()
    {
        await using var api = stack.NewApi(new Dictionary<string, string> { [AllowPrivate] = "true" });
        await using var worker = WorkerProcess.Start(stack, api.ConnectionString, new Dictionary<string, string>
        {
            ["Imports__AllowPrivateTargets"] = "true",
            ["Imports__Timeout"] = "00:00:05",
            ["Imports__StallTimeout"] = "00:00:01",
            ["Imports__Attempts"] = "2",
            ["Imports__RetryDelay"] = "00:00:00.100",
        });
        await using var sources = new ImportSourceServer()
            .Map("/drip.mp4", async (s, ct) =>
            {
                await ImportSourceServer.HeadersAsync(s, "200 OK", "Content-Type: video/mp4", "Content-Length: 1000000");
                // One byte every 50 ms: never a stall, never done.
                using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
                while (await tick.WaitForNextTickAsync(ct))
                {
                    await s.WriteAsync(new byte[] { 0 }, ct);
                    await s.FlushAsync(ct);
                }
            })
            .Map("/silent.mp4", async (s, ct) =>
            {
                await ImportSourceServer.HeadersAsync(s, "200 OK", "Content-Type: video/mp4", "Content-Length: 1000000");
                await s.WriteAsync(new byte[1000], ct);
                await s.FlushAsync(ct);
                // Then nothing, until the importer hangs up.
                var buffer = new byte[1];
                try { while (await s.ReadAsync(buffer, ct) > 0) { } }
                catch (Exception) { /* hung up */ }
            });
        var client = await api.RegisterAsync();
        await using var events = await OpenEventsAsync(client);

        var drip = await ImportAsync(client, sources.Url("/drip.mp4"));
        var seen = await events.UntilAsync(drip, "failed", TimeSpan.FromSeconds(60), () => worker.Log);
        Assert.Contains("took longer than 5 seconds", seen[^1].GetProperty("error").GetString());
        Assert.Null(await api.Services.GetRequiredService<IStorageGateway>().GetSizeAsync(StorageKeys.Source(drip), default));

        var silent = await ImportAsync(client, sources.Url("/silent.mp4"));
        seen = await events.UntilAsync(silent, "failed", TimeSpan.FromSeconds(60), () => worker.Log);
        Assert.Contains("sent nothing for 1 second", seen[^1].GetProperty("error").GetString());
        // A stall is a network failure: retried (2 attempts here), each starting over.
        Assert.Equal(2, sources.Requests("/silent.mp4"));

        var me = await (await client.GetAsync("/api/v1/me")).ReadJsonAsync();
        Assert.Equal(0, me.GetProperty("storageUsedBytes").GetInt64());
        await AssertBalancedAsync(api, me.GetProperty("id").GetGuid());
    }

    public static TheoryData<string> HostileTargets() =>
    [
        "http://127.0.0.1/", "http://[::1]/", "http://10.1.2.3/", "http://169.254.169.254/", "http://[::ffff:127.0.0.1]/",
        "http://2130706433/", "http://0177.0.0.1/", "http://localhost/",
    ];

    [Fact]
    public async Task With_private_targets_off_the_hostile_list_is_refused_at_the_api_and_nothing_is_created()
    {
        await using var api = stack.NewApi(new Dictionary<string, string> { [AllowPrivate] = "false" });
        var client = await api.RegisterAsync();
        foreach (var url in HostileTargets())
        {
            var response = await client.PostAsJsonAsync("/api/v1/uploads/from-url", new { url });
            var detail = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(detail.Contains("address", StringComparison.OrdinalIgnoreCase), $"{url}: {detail}");
        }
        foreach (var (body, expect) in new (object, string)[]
        {
            (new { url = "ftp://example.com/clip.mp4" }, "http"),
            (new { url = "http://user:pw@example.com/clip.mp4" }, "user name"),
            (new { url = "clip.mp4" }, "absolute"),
            (new { }, "required"),
        })
        {
            var detail = await (await client.PostAsJsonAsync("/api/v1/uploads/from-url", body)).AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.Contains(expect, detail);
        }
        var list = await (await client.GetAsync("/api/v1/videos")).ReadJsonAsync();
        Assert.Equal(0, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Imports_and_uploads_racing_for_the_last_of_the_quota_never_exceed_it_and_a_third_import_waits_its_turn()
    {
        // No worker in this database: the imports stay in progress and the test charges their parts itself, through
        // the same reservations the worker uses, while an upload competes for the same room.
        await using var api = stack.NewApi(new Dictionary<string, string> { [AllowPrivate] = "true" });
        var client = await api.RegisterAsync();
        var userId = (await (await client.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("id").GetGuid();
        const long quota = 25_000_000, part = 1_000_000;
        await SetQuotaAsync(api, userId, quota);
        // Four at once for two places: the owner's row lock lets exactly two through.
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            client.PostAsJsonAsync("/api/v1/uploads/from-url", new { url = $"http://127.0.0.1:9/{i}.mp4" })));
        var accepted = answers.Where(r => r.StatusCode == HttpStatusCode.Accepted).ToList();
        Assert.Equal(2, accepted.Count);
        foreach (var refused in answers.Except(accepted))
            Assert.Contains("2 imports in progress", await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests));
        var first = (await accepted[0].ReadJsonAsync()).GetProperty("id").GetGuid();
        var second = (await accepted[1].ReadJsonAsync()).GetProperty("id").GetGuid();

        foreach (var id in new[] { first, second })
        {
            await using var scope = api.Services.CreateAsyncScope();
            var (active, _) = await scope.ServiceProvider.GetRequiredService<ImportReservations>().StartAttemptAsync(id, $"test-{id:N}", DateTimeOffset.UtcNow.AddHours(1), default);
            Assert.True(active);
        }
        async Task<int> ReserveAsync(Guid id)
        {
            var reserved = 0;
            for (var n = 1; n <= 15; n++)
            {
                await using var scope = api.Services.CreateAsyncScope();
                var result = await scope.ServiceProvider.GetRequiredService<ImportReservations>().ReservePartAsync(id, n, part, 0, default);
                if (result == ImportReservation.Reserved) reserved++;
                else Assert.Equal(ImportReservation.OverQuota, result);
            }
            return reserved;
        }
        async Task<long> UploadAsync()
        {
            var response = await client.PostAsJsonAsync("/api/v1/uploads", new { fileName = "race.mp4", size = 8_000_000, contentType = "video/mp4" });
            return response.StatusCode == HttpStatusCode.Created ? 8_000_000 : 0;
        }
        var racing = new[] { ReserveAsync(first), ReserveAsync(second) };
        var upload = UploadAsync();
        var reservedParts = (await Task.WhenAll(racing)).Sum();
        var uploaded = await upload;

        var used = (await (await client.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("storageUsedBytes").GetInt64();
        Assert.True(used <= quota, $"{used:N0} bytes charged against a quota of {quota:N0}");
        Assert.Equal(reservedParts * part + uploaded, used);
        // 38 MB were asked for: the quota is what stopped them, not luck.
        Assert.True(used > quota - part - 8_000_000, $"only {used:N0} bytes charged");
        await AssertBalancedAsync(api, userId);

        // Deleting an import releases what it reserved, and its next part finds it gone.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/videos/{first}")).StatusCode);
        await using (var scope = api.Services.CreateAsyncScope())
            Assert.Equal(ImportReservation.Gone, await scope.ServiceProvider.GetRequiredService<ImportReservations>().ReservePartAsync(first, 16, part, 0, default));
        await AssertBalancedAsync(api, userId);
    }

    private static async Task<Guid> ImportAsync(HttpClient client, string url)
    {
        var response = await client.PostAsJsonAsync("/api/v1/uploads/from-url", new { url });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.ReadJsonAsync()).GetProperty("id").GetGuid();
    }

    /// <summary>Declares 1,000 bytes, then sends 1 MiB chunks until the importer hangs up (60 MiB at most).</summary>
    private static async Task LieAsync(Stream s, CancellationToken ct)
    {
        await ImportSourceServer.HeadersAsync(s, "200 OK", "Content-Type: video/mp4", "Content-Length: 1000", "Transfer-Encoding: chunked");
        var chunk = new byte[1024 * 1024];
        Random.Shared.NextBytes(chunk);
        for (var i = 0; i < 60; i++)
        {
            await ImportSourceServer.WriteAsync(s, $"{chunk.Length:x}\r\n");
            await s.WriteAsync(chunk, ct);
            await ImportSourceServer.WriteAsync(s, "\r\n");
        }
        await ImportSourceServer.WriteAsync(s, "0\r\n\r\n");
    }

    private static async Task SetQuotaAsync(ApiFactory api, Guid userId, long bytes)
    {
        await using var conn = new NpgsqlConnection(api.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("UPDATE users SET quota_bytes = @q WHERE id = @id", conn);
        cmd.Parameters.AddWithValue("q", bytes);
        cmd.Parameters.AddWithValue("id", userId);
        Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
    }

    private static async Task AssertBalancedAsync(ApiFactory api, Guid userId)
    {
        await using var scope = api.Services.CreateAsyncScope();
        var audit = await scope.ServiceProvider.GetRequiredService<QuotaAudit>().CheckAsync(userId, default);
        Assert.True(audit!.Balanced, $"ledger {audit.Ledger:N0} but the rows say {audit.Expected:N0}");
    }

    private static async Task<VideoEvents> OpenEventsAsync(HttpClient client)
    {
        var response = await client.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reader = EventStream.ReadAsync(await response.Content.ReadAsStreamAsync()).GetAsyncEnumerator();
        // Subscribed once "ready" arrives: nothing published after it can be missed.
        while (await reader.MoveNextAsync() && reader.Current.Event != "ready") { }
        return new VideoEvents(response, reader);
    }

    /// <summary>One event stream, read until a video reaches a status.</summary>
    private sealed class VideoEvents(HttpResponseMessage response, IAsyncEnumerator<(string Event, string Data)> reader) : IAsyncDisposable
    {
        public async Task<List<JsonElement>> UntilAsync(Guid videoId, string status, TimeSpan timeout, Func<string> diagnostics)
        {
            var seen = new List<JsonElement>();
            var next = Task.Run(async () =>
            {
                while (await reader.MoveNextAsync())
                {
                    if (reader.Current.Event != "video") continue;
                    var e = JsonDocument.Parse(reader.Current.Data).RootElement.Clone();
                    if (e.GetProperty("videoId").GetGuid() != videoId) continue;
                    seen.Add(e);
                    if (e.GetProperty("status").GetString() == status) return true;
                    if (e.GetProperty("status").GetString() is "ready" or "failed") return false;
                }
                return false;
            });
            var done = await Task.WhenAny(next, Task.Delay(timeout));
            Assert.True(done == next && await next,
                $"video {videoId} never reached {status}; saw {string.Join(", ", seen.Select(e => e.ToString()))}\n{diagnostics()}");
            return seen;
        }

        public async ValueTask DisposeAsync()
        {
            response.Dispose();
            try { await reader.DisposeAsync(); } catch (Exception) { /* the stream is closed */ }
        }
    }
}

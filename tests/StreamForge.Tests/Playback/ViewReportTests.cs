using System.Net.Http.Headers;
using System.Text;
using Npgsql;

namespace StreamForge.Tests.Playback;

/// <summary>
/// Player QoE beacons against the real stack: a video processed by a real worker, reports sent as the player sends
/// them (text/plain JSON, cookies but no CSRF header), the owner's figures, the admin overview and /metrics.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class ViewReportTests(StackFixture stack) : WorkerTestBase(stack)
{
    private ApiFactory _local = null!;
    private HttpClient _owner = null!;
    private Guid _videoId;

    /// <summary>xUnit makes an instance per test: one processed video (and its owner) serves them all.</summary>
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static (string Email, Guid VideoId)? _shared;
    private const string Password = "correct horse battery";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Gate.WaitAsync();
        try
        {
            if (_shared is null)
            {
                var email = $"qoe{Guid.NewGuid():N}@example.com";
                using var owner = await Api.RegisterAsync(email, Password);
                var id = await VideoFlow.UploadAsync(owner, await Clips.GenerateAsync(640, 360, 2, name: "qoe.mp4"));
                // The queue may still hold other tests' junk uploads ahead of this one.
                var video = await VideoFlow.WaitForFinalAsync(owner, id, TimeSpan.FromMinutes(4), () => Worker.Log);
                Assert.True(video.GetProperty("status").GetString() == "ready", video.ToString());
                _shared = (email, id);
            }
        }
        finally
        {
            Gate.Release();
        }
        // The shared API's database, with loopback as the client address so this app's /metrics answers (Metrics:AllowedNetworks).
        _local = Stack.NewApi(new Dictionary<string, string> { [ApiFactory.RemoteAddressSetting] = "127.0.0.1", ["ConnectionStrings:Postgres"] = Api.ConnectionString });
        _owner = await _local.LoginAsync(_shared.Value.Email, Password);
        _videoId = _shared.Value.VideoId;
    }

    public override async Task DisposeAsync()
    {
        _owner.Dispose();
        await _local.DisposeAsync();
        await base.DisposeAsync();
    }

    private static string Report(Guid viewId, Guid videoId, double watch, int rebuffers, double rebufferSeconds, int? startupMs = 850, string renditions = """{"360":{0}}""") =>
        $$"""{"views":[{"viewId":"{{viewId}}","videoId":"{{videoId}}","startupMs":{{(startupMs is null ? "null" : startupMs.ToString())}},"watchSeconds":{{watch}},"rebufferCount":{{rebuffers}},"rebufferSeconds":{{rebufferSeconds}},"bitrateSwitches":1,"avgBitrateBps":800000,"droppedFrames":3,"fatalErrors":0,"renditionSeconds":{{renditions.Replace("{0}", watch.ToString(System.Globalization.CultureInfo.InvariantCulture))}}}]}""";

    /// <summary>As navigator.sendBeacon sends a string: text/plain, whatever cookies the page has, no custom header.</summary>
    private static async Task<HttpResponseMessage> BeaconAsync(HttpClient client, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/views") { Content = new StringContent(body, Encoding.UTF8, "text/plain") };
        return await client.SendAsync(request);
    }

    private async Task<JsonElement> QoeAsync(HttpClient client, string window = "24h")
    {
        var response = await client.GetAsync($"/api/v1/videos/{_videoId}/qoe?window={window}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.ReadJsonAsync();
    }

    private async Task<long> StoredViewsAsync(string where = "true")
    {
        await using var conn = new NpgsqlConnection(Api.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"SELECT count(*) FROM playback_views WHERE {where}", conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_report_is_stored_shows_in_the_owners_qoe_and_metrics_and_a_later_cumulative_one_replaces_it()
    {
        var viewId = Guid.NewGuid();
        var anonymous = _local.CreateClient(new() { HandleCookies = false });
        var first = await BeaconAsync(anonymous, Report(viewId, _videoId, watch: 10, rebuffers: 1, rebufferSeconds: 2));
        Assert.True(first.StatusCode == HttpStatusCode.NoContent, await first.Content.ReadAsStringAsync());

        var qoe = await QoeAsync(_owner);
        Assert.Equal(1, qoe.GetProperty("views").GetInt32());
        Assert.Equal(0.85, qoe.GetProperty("medianStartupSeconds").GetDouble(), 3);
        Assert.Equal(0.2, qoe.GetProperty("rebufferRatio").GetDouble(), 3);
        Assert.Equal(800000, qoe.GetProperty("averageBitrateBps").GetInt64());
        var mix = qoe.GetProperty("renditions").EnumerateArray().Single();
        Assert.Equal(360, mix.GetProperty("height").GetInt32());
        Assert.Equal(1.0, mix.GetProperty("share").GetDouble(), 3);

        // Cumulative: the second report carries everything so far and replaces the first.
        var second = await BeaconAsync(anonymous, Report(viewId, _videoId, watch: 30, rebuffers: 2, rebufferSeconds: 3));
        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        qoe = await QoeAsync(_owner, "7d");
        Assert.Equal(1, qoe.GetProperty("views").GetInt32());
        Assert.Equal(2, qoe.GetProperty("rebuffers").GetInt64());
        Assert.Equal(30, qoe.GetProperty("watchSeconds").GetDouble(), 3);
        Assert.Equal(0.1, qoe.GetProperty("rebufferRatio").GetDouble(), 3);
        Assert.Equal(1, await StoredViewsAsync($"view_id = '{viewId}'"));

        // A late, older beacon (less watch time) changes nothing.
        Assert.Equal(HttpStatusCode.NoContent, (await BeaconAsync(anonymous, Report(viewId, _videoId, watch: 5, rebuffers: 0, rebufferSeconds: 0))).StatusCode);
        Assert.Equal(2, (await QoeAsync(_owner)).GetProperty("rebuffers").GetInt64());

        var admin = await _local.LoginAdminAsync(Stack);
        var overview = await (await admin.GetAsync("/api/v1/admin/qoe?window=24h")).ReadJsonAsync();
        Assert.True(overview.GetProperty("totals").GetProperty("views").GetInt32() >= 1, overview.ToString());
        Assert.Contains(overview.GetProperty("worstVideos").EnumerateArray(), v => v.GetProperty("videoId").GetGuid() == _videoId);

        var metrics = await _local.CreateClient().GetStringAsync("/metrics");
        Assert.Matches(@"streamforge_playback_views_total(\{[^}]*\})? [1-9]", metrics);
        Assert.Contains("streamforge_playback_startup_seconds_bucket{", metrics);
        Assert.Contains("# TYPE streamforge_playback_rebuffer_ratio gauge", metrics);
    }

    [Fact]
    public async Task A_signed_in_page_beacon_with_cookies_and_no_csrf_header_is_taken()
    {
        // The cookie alone, as a browser sends it: the same client is refused on a route that reads the identity.
        var browser = _local.CreateClient();
        var signUp = await browser.PostAsJsonAsync("/api/v1/auth/register", new { email = $"b{Guid.NewGuid():N}@example.com", password = "correct horse battery" });
        Assert.Equal(HttpStatusCode.Created, signUp.StatusCode);
        await (await browser.PostAsJsonAsync("/api/v1/uploads", new { fileName = "a.mp4", size = 10 })).AssertProblemAsync(HttpStatusCode.Forbidden);

        var viewId = Guid.NewGuid();
        var response = await BeaconAsync(browser, Report(viewId, _videoId, watch: 4, rebuffers: 0, rebufferSeconds: 0));
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
        Assert.Equal(1, await StoredViewsAsync($"view_id = '{viewId}'"));
    }

    [Fact]
    public async Task Another_user_cannot_read_the_qoe()
    {
        var stranger = await _local.RegisterAsync();
        await (await stranger.GetAsync($"/api/v1/videos/{_videoId}/qoe")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.GetAsync("/api/v1/admin/qoe")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _owner.GetAsync($"/api/v1/videos/{_videoId}/qoe?window=1y")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_flood_of_bad_beacons_gets_4xx_and_stores_nothing()
    {
        var before = await StoredViewsAsync();
        var video = _videoId;
        var pending = (await _owner.CreateUploadAsync(1000)).GetProperty("videoId").GetGuid();
        string One(string fields) => $$"""{"views":[{"viewId":"{{Guid.NewGuid()}}","videoId":"{{video}}",{{fields}}}]}""";
        const string ok = "\"watchSeconds\":1,\"rebufferCount\":0,\"rebufferSeconds\":0,\"bitrateSwitches\":0,\"droppedFrames\":0,\"fatalErrors\":0";
        var bad = new (string Name, string Body, string ContentType)[]
        {
            ("wrong type: string number", One(ok.Replace("\"watchSeconds\":1", "\"watchSeconds\":\"1\"")), "text/plain"),
            ("wrong type: boolean", One(ok.Replace("\"rebufferCount\":0", "\"rebufferCount\":true")), "application/json"),
            ("negative watch time", One(ok.Replace("\"watchSeconds\":1", "\"watchSeconds\":-1")), "text/plain"),
            ("negative rebuffers", One(ok.Replace("\"rebufferCount\":0", "\"rebufferCount\":-5")), "text/plain"),
            ("huge watch time", One(ok.Replace("\"watchSeconds\":1", "\"watchSeconds\":1e300")), "text/plain"),
            ("count beyond int", One(ok.Replace("\"bitrateSwitches\":0", "\"bitrateSwitches\":99999999999")), "text/plain"),
            ("huge startup", One(ok + ",\"startupMs\":2000000000"), "text/plain"),
            ("huge bitrate", One(ok + ",\"avgBitrateBps\":9000000000000"), "text/plain"),
            ("rendition key not a height", One(ok + ",\"renditionSeconds\":{\"../x\":1}"), "text/plain"),
            ("renditions exceed watch time", One(ok + ",\"renditionSeconds\":{\"720\":500}"), "text/plain"),
            ("unknown field", One(ok + ",\"userAgent\":\"Mozilla\""), "text/plain"),
            ("unknown video", One(ok).Replace(video.ToString(), Guid.NewGuid().ToString()), "text/plain"),
            ("video not playable", One(ok).Replace(video.ToString(), pending.ToString()), "text/plain"),
            ("empty view id", $$"""{"views":[{"viewId":"00000000-0000-0000-0000-000000000000","videoId":"{{video}}",{{ok}}}]}""", "text/plain"),
            ("no views", """{"views":[]}""", "text/plain"),
            ("too many views", "{\"views\":[" + string.Join(',', Enumerable.Range(0, 11).Select(_ => One(ok)[10..^2])) + "]}", "text/plain"),
            ("malformed JSON", "{\"views\":[", "text/plain"),
            ("JSON null", "null", "text/plain"),
            ("form post", "views=1", "application/x-www-form-urlencoded"),
            ("oversized body", One(ok + ",\"pad\":\"" + new string('x', 20_000) + "\""), "text/plain"),
        };
        var failures = new List<string>();
        foreach (var (name, body, type) in bad)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/views") { Content = new StringContent(body, Encoding.UTF8, type) };
            using var response = await _local.CreateClient(new() { HandleCookies = false }).SendAsync(request);
            var status = (int)response.StatusCode;
            if (status is < 400 or >= 500 || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                failures.Add($"{name}: {status} {await response.Content.ReadAsStringAsync()}");
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Equal(before, await StoredViewsAsync());
    }

    [Fact]
    public async Task Beacons_past_the_per_address_limit_get_429()
    {
        await using var limited = Stack.NewApi(new Dictionary<string, string> { [ApiFactory.RemoteAddressSetting] = "198.51.100.7", ["Playback:ViewReportsPerMinute"] = "3", ["ConnectionStrings:Postgres"] = Api.ConnectionString });
        var client = limited.CreateClient(new() { HandleCookies = false });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++) statuses.Add((await BeaconAsync(client, Report(Guid.NewGuid(), _videoId, watch: 1, rebuffers: 0, rebufferSeconds: 0))).StatusCode);
        Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }
}

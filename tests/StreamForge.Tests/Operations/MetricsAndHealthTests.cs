using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace StreamForge.Tests.Operations;

/// <summary>/metrics on the API and the worker, the worker's health listener, CORS origins, the admin figures.</summary>
[Collection(StackCollection.Name)]
public sealed class MetricsAndHealthTests(StackFixture stack)
{
    private static double Sample(string text, string series)
    {
        var m = Regex.Match(text, "^" + Regex.Escape(series) + @"(?:\{[^}]*\})? (\S+)", RegexOptions.Multiline);
        return m.Success ? double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : double.NaN;
    }

    [Fact]
    public async Task The_api_serves_upload_and_http_metrics_to_loopback_and_a_404_problem_to_others()
    {
        // One app for the uploads and the scrape: the client address is loopback, as for a local Prometheus.
        await using var api = stack.NewApi(new Dictionary<string, string> { [ApiFactory.RemoteAddressSetting] = "127.0.0.1" });
        var client = await api.RegisterAsync();
        var created = await client.CreateUploadAsync(6 * 1024 * 1024);
        var videoId = created.GetProperty("videoId").GetGuid();
        Assert.Equal(2, (await client.SignAsync(videoId, 1, 2)).Length);

        var response = await api.CreateClient().GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(Sample(text, "streamforge_uploads_created_total") >= 1, text);
        Assert.True(Sample(text, "streamforge_part_urls_signed_total") >= 2, text);
        Assert.Contains("streamforge_http_request_duration_seconds_bucket{", text);
        Assert.Matches(@"streamforge_http_request_duration_seconds_count\{[^}]*route=""/api/v1/uploads/\{videoId:guid\}/parts/sign""", text);
        Assert.Contains("# TYPE streamforge_queue_depth gauge", text);

        await using var remote = stack.NewApi(new Dictionary<string, string> { [ApiFactory.RemoteAddressSetting] = "203.0.113.9" });
        var outsider = await remote.CreateClient().GetAsync("/metrics");
        await outsider.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain("streamforge_", await outsider.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Configured_networks_open_metrics_to_a_scraper_in_the_cluster()
    {
        await using var inCluster = stack.NewApi(new Dictionary<string, string> { ["Metrics:AllowedNetworks:0"] = "10.0.0.0/8", [ApiFactory.RemoteAddressSetting] = "10.42.0.7" });
        Assert.Equal(HttpStatusCode.OK, (await inCluster.CreateClient().GetAsync("/metrics")).StatusCode);
        await using var local = stack.NewApi(new Dictionary<string, string> { ["Metrics:AllowedNetworks:0"] = "10.0.0.0/8", [ApiFactory.RemoteAddressSetting] = "127.0.0.1" });
        await (await local.CreateClient().GetAsync("/metrics")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Cors_answers_configured_origins_only()
    {
        await using var api = stack.NewApi(new Dictionary<string, string> { ["Cors:AllowedOrigins:0"] = "https://app.example.com" });
        var http = api.CreateClient();
        async Task<HttpResponseMessage> Preflight(string origin, string path = "/api/v1/videos")
        {
            var req = new HttpRequestMessage(HttpMethod.Options, path);
            req.Headers.Add("Origin", origin);
            req.Headers.Add("Access-Control-Request-Method", "POST");
            req.Headers.Add("Access-Control-Request-Headers", "content-type");
            return await http.SendAsync(req);
        }
        var allowed = await Preflight("https://app.example.com");
        Assert.Equal("https://app.example.com", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("true", allowed.Headers.GetValues("Access-Control-Allow-Credentials").Single());
        var other = await Preflight("https://evil.example.net");
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
        // The upload protocol is open to upload-link pages anywhere, but never with credentials (DirectUploadTests).
        var upload = await Preflight("https://evil.example.net", "/api/v1/uploads");
        Assert.Equal("*", upload.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(upload.Headers.Contains("Access-Control-Allow-Credentials"));
        var configuredUpload = await Preflight("https://app.example.com", "/api/v1/uploads");
        Assert.Equal("true", configuredUpload.Headers.GetValues("Access-Control-Allow-Credentials").Single());
    }

    [Fact]
    public async Task The_worker_health_listener_reports_live_ready_and_job_metrics()
    {
        await using var api = stack.NewApi();
        await using var worker = WorkerProcess.Start(stack, api.ConnectionString, new Dictionary<string, string> { ["Worker__HealthPort"] = "0" });
        var health = await worker.HealthAddressAsync(TimeSpan.FromSeconds(60));
        Assert.True(IPAddress.IsLoopback(IPAddress.Parse(health.Host)));
        using var http = new HttpClient { BaseAddress = health };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);

        var client = await api.RegisterAsync();
        var videoId = await VideoFlow.UploadAsync(client, await Clips.GenerateAsync(640, 360, 2, name: "metrics.mp4"));
        var video = await VideoFlow.WaitForFinalAsync(client, videoId, diagnostics: () => worker.Log);
        Assert.Equal("ready", video.GetProperty("status").GetString());

        var text = await http.GetStringAsync("/metrics");
        Assert.Equal(1, Sample(text, "streamforge_jobs_started_total"));
        Assert.Equal(1, Sample(text, "streamforge_jobs_succeeded_total"));
        Assert.True(Regex.IsMatch(text, @"streamforge_ffmpeg_exits_total\{[^}]*code=""0""[^}]*\} 1"), text);
        Assert.Matches(@"streamforge_realtime_factor_count\{[^}]*rungs=""\d""[^}]*\} 1", text);
        Assert.Matches(@"streamforge_processing_seconds_sum\{[^}]*rungs=""\d""[^}]*\} [0-9.]+", text);
        // Gauges are cached for a few seconds and the slot frees after the ready event: present, value not pinned.
        Assert.InRange(Sample(text, "streamforge_worker_busy_ratio"), 0, 1);
        Assert.InRange(Sample(text, "streamforge_queue_depth"), 0, 1);
    }

    [Fact]
    public async Task Two_workers_on_one_host_take_consecutive_health_ports()
    {
        var port = FreePortPair();
        await using var api = stack.NewApi();
        var settings = new Dictionary<string, string> { ["Worker__HealthPort"] = port.ToString() };
        await using var first = WorkerProcess.Start(stack, api.ConnectionString, settings);
        var a = await first.HealthAddressAsync(TimeSpan.FromSeconds(60));
        await using var second = WorkerProcess.Start(stack, api.ConnectionString, settings);
        var b = await second.HealthAddressAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(port, a.Port);
        Assert.Equal(port + 1, b.Port);
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(b, "/health/live"))).StatusCode);
    }

    [Fact]
    public async Task Admins_see_storage_use_and_the_queue()
    {
        await using var api = stack.NewApi();
        var user = await api.RegisterAsync();
        var videoId = await VideoFlow.UploadAsync(user, await Clips.GenerateAsync(320, 240, 1, name: "stats.mp4"));
        var admin = await api.LoginAdminAsync(stack);
        var statsResponse = await admin.GetAsync("/api/v1/admin/stats");
        var stats = await statsResponse.ReadJsonAsync();
        Assert.True(statsResponse.IsSuccessStatusCode && stats.TryGetProperty("storageUsedBytes", out _), $"{statsResponse.StatusCode} {stats}");
        Assert.True(stats.GetProperty("storageUsedBytes").GetInt64() > 0, stats.ToString());
        Assert.True(stats.GetProperty("videosByStatus").TryGetProperty("processing", out var processing) && processing.GetInt32() == 1, stats.ToString());
        // No worker runs here: the completed upload waits in the Quartz queue.
        Assert.Equal(1, stats.GetProperty("queue").GetProperty("waiting").GetInt32());
        await (await user.GetAsync("/api/v1/admin/stats")).AssertProblemAsync(HttpStatusCode.Forbidden);
        _ = videoId;
    }

    /// <summary>A port whose successor is free too (checked, then released: a small race a retry would hide).</summary>
    private static int FreePortPair()
    {
        for (var i = 0; i < 50; i++)
        {
            var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            l.Start();
            var p = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            try
            {
                var n = new System.Net.Sockets.TcpListener(IPAddress.Loopback, p + 1);
                n.Start(); n.Stop();
                return p;
            }
            catch (System.Net.Sockets.SocketException) { }
        }
        throw new InvalidOperationException("no free port pair");
    }
}

using System.Security.Cryptography;
using System.Text;
using static StreamForge.Tests.Infrastructure.WebhookReceiver;

namespace StreamForge.Tests.Webhooks;

/// <summary>
/// Webhooks end to end: the real API registers endpoints, the lifecycle writes deliveries, a real worker process sends
/// them to a real receiver on 127.0.0.1 (the local stack allows private targets), with retries made short here.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class WebhookDeliveryTests(StackFixture stack) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private ApiFactory Api { get; } = stack.Api;
    private WorkerProcess Worker { get; set; } = null!;

    public async Task DisposeAsync() => await Worker.DisposeAsync();

    public Task InitializeAsync()
    {
        Worker = WorkerProcess.Start(stack, Api.ConnectionString, new Dictionary<string, string>
        {
            ["Webhooks__AllowPrivateTargets"] = "true",
            ["Webhooks__RetryBaseDelay"] = "00:00:00.300",
            ["Webhooks__RetryMaxDelay"] = "00:00:01",
            ["Webhooks__Timeout"] = "00:00:02",
        });
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_receiver_gets_a_correctly_signed_video_ready_for_a_real_upload()
    {
        await using var receiver = await StartAsync();
        var owner = await Api.RegisterAsync();
        var (hookId, secret) = await RegisterAsync(owner, receiver.Url, "video.created", "video.ready");
        Assert.StartsWith("whsec_", secret);
        var listed = await (await owner.GetAsync("/api/v1/webhooks")).Content.ReadAsStringAsync();
        Assert.Contains(hookId, listed);
        Assert.DoesNotContain(secret, listed);

        var clip = await Clips.GenerateAsync(320, 240, 2);
        var videoId = await VideoFlow.UploadAsync(owner, clip);
        var video = await VideoFlow.WaitForFinalAsync(owner, videoId, diagnostics: () => Worker.Log);
        Assert.Equal("ready", video.GetProperty("status").GetString());

        var ready = await Eventually.ValueAsync(() => receiver.Requests.FirstOrDefault(r => r.Header("StreamForge-Event") == "video.ready"),
            r => r is not null, Wait, _ => $"no video.ready arrived; got {receiver.Requests.Count} requests\n{Worker.Log}");
        Assert.Equal("/hook", ready!.Path);
        Assert.StartsWith("application/json", ready.Header("Content-Type"));
        Assert.Equal("StreamForge-Webhooks/1", ready.Header("User-Agent"));

        // The signature, checked the way a receiver would, independently of the server's code.
        var signature = ready.Header("StreamForge-Signature").Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var t = long.Parse(signature["t"]);
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - t, -5, 120);
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.").Concat(ready.Body).ToArray());
        Assert.Equal(Convert.ToHexStringLower(expected), signature["v1"]);
        var wrongSecret = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret + "x"), Encoding.UTF8.GetBytes($"{t}.").Concat(ready.Body).ToArray());
        Assert.NotEqual(Convert.ToHexStringLower(wrongSecret), signature["v1"]);

        var body = ready.Json;
        Assert.Equal("video.ready", body.GetProperty("type").GetString());
        Assert.True(body.GetProperty("id").GetGuid() != Guid.Empty);
        Assert.True(body.TryGetProperty("createdAt", out _));
        var data = body.GetProperty("data");
        Assert.Equal(videoId, data.GetProperty("id").GetGuid());
        Assert.Equal("ready", data.GetProperty("status").GetString());
        Assert.Equal(video.GetProperty("title").GetString(), data.GetProperty("title").GetString());
        Assert.Equal(video.GetProperty("manifestUrl").GetString(), data.GetProperty("manifestUrl").GetString());
        Assert.NotEmpty(data.GetProperty("renditions").EnumerateArray());
        Assert.True(data.TryGetProperty("downloads", out _), "data is the single-video view");

        // Subscribed events only, each once; the owner sees them delivered.
        Assert.Contains(receiver.Requests, r => r.Header("StreamForge-Event") == "video.created" && r.Json.GetProperty("data").GetProperty("id").GetGuid() == videoId);
        Assert.DoesNotContain(receiver.Requests, r => r.Header("StreamForge-Event") is not ("video.created" or "video.ready"));
        var deliveries = await DeliveriesAsync(owner, hookId);
        var readyRow = deliveries.Single(d => d.GetProperty("id").GetString() == ready.Header("StreamForge-Delivery"));
        Assert.Equal("video.ready", readyRow.GetProperty("eventType").GetString());
        await Eventually.HoldsAsync(async () => (await DeliveriesAsync(owner, hookId)).All(d => d.GetProperty("status").GetString() == "delivered"),
            Wait, () => "deliveries not all delivered");
        readyRow = (await DeliveriesAsync(owner, hookId)).Single(d => d.GetProperty("id").GetString() == ready.Header("StreamForge-Delivery"));
        Assert.Equal(200, readyRow.GetProperty("lastStatusCode").GetInt32());
        Assert.Equal(1, readyRow.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task A_receiver_that_fails_twice_gets_the_third_attempt_with_the_same_delivery_id()
    {
        await using var receiver = await StartAsync(Reply.ServerError, Reply.Hang);
        var owner = await Api.RegisterAsync();
        var (hookId, _) = await RegisterAsync(owner, receiver.Url, "video.created");
        await owner.CreateUploadAsync(1000);

        await Eventually.HoldsAsync(() => receiver.Requests.Count >= 3, Wait, () => $"{receiver.Requests.Count} attempts arrived\n{Worker.Log}");
        var attempts = receiver.Requests;
        Assert.Single(attempts.Select(r => r.Header("StreamForge-Delivery")).Distinct());
        Assert.Single(attempts.Select(r => Convert.ToBase64String(r.Body)).Distinct());
        var delivery = await Eventually.ValueAsync(async () => (await DeliveriesAsync(owner, hookId)).Single(),
            d => d.GetProperty("status").GetString() == "delivered", Wait, d => $"last seen {d}");
        Assert.Equal(3, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(200, delivery.GetProperty("lastStatusCode").GetInt32());
        Assert.Equal(attempts[0].Header("StreamForge-Delivery"), delivery.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_redirect_is_a_failure_and_is_not_followed_even_to_loopback()
    {
        await using var receiver = await StartAsync(Reply.Redirect, Reply.Redirect, Reply.Redirect, Reply.Redirect);
        var owner = await Api.RegisterAsync();
        var (hookId, _) = await RegisterAsync(owner, receiver.Url, "video.created");
        await owner.CreateUploadAsync(1000);

        var delivery = await Eventually.ValueAsync(async () => (await DeliveriesAsync(owner, hookId)).Single(),
            d => d.GetProperty("attempts").GetInt32() >= 2, Wait, d => $"last seen {d}\n{Worker.Log}");
        Assert.Equal(302, delivery.GetProperty("lastStatusCode").GetInt32());
        Assert.NotEqual("delivered", delivery.GetProperty("status").GetString());
        Assert.Contains("302", delivery.GetProperty("lastError").GetString());
        Assert.DoesNotContain(receiver.Requests, r => r.Path == "/redirected");
    }

    [Fact]
    public async Task Resend_sends_the_same_delivery_again_and_only_the_owner_may()
    {
        await using var receiver = await StartAsync();
        var owner = await Api.RegisterAsync();
        var other = await Api.RegisterAsync();
        var (hookId, _) = await RegisterAsync(owner, receiver.Url, "video.created");
        await owner.CreateUploadAsync(1000);
        var delivery = await Eventually.ValueAsync(async () => (await DeliveriesAsync(owner, hookId)).SingleOrDefault(),
            d => d.ValueKind == JsonValueKind.Object && d.GetProperty("status").GetString() == "delivered", Wait, d => $"last seen {d}\n{Worker.Log}");
        var deliveryId = delivery.GetProperty("id").GetString()!;

        // Another account sees none of it and can change none of it.
        Assert.Equal("[]", await (await other.GetAsync("/api/v1/webhooks")).Content.ReadAsStringAsync());
        await (await other.GetAsync($"/api/v1/webhooks/{hookId}/deliveries")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await other.PostAsync($"/api/v1/webhooks/{hookId}/deliveries/{deliveryId}/resend", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await other.DeleteAsync($"/api/v1/webhooks/{hookId}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Single(receiver.Requests);

        var resend = await owner.PostAsync($"/api/v1/webhooks/{hookId}/deliveries/{deliveryId}/resend", null);
        Assert.Equal(HttpStatusCode.Accepted, resend.StatusCode);
        await Eventually.HoldsAsync(() => receiver.Requests.Count == 2, Wait, () => $"{receiver.Requests.Count} requests\n{Worker.Log}");
        var (first, second) = (receiver.Requests[0], receiver.Requests[1]);
        Assert.Equal(deliveryId, second.Header("StreamForge-Delivery"));
        Assert.Equal(first.Body, second.Body);
        await Eventually.HoldsAsync(async () => (await DeliveriesAsync(owner, hookId)).Single().GetProperty("attempts").GetInt32() == 2,
            Wait, () => "the resend was not recorded");

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/v1/webhooks/{hookId}")).StatusCode);
        await (await owner.GetAsync($"/api/v1/webhooks/{hookId}/deliveries")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Deleting_a_video_announces_it_with_the_video_as_it_was()
    {
        await using var receiver = await StartAsync();
        var owner = await Api.RegisterAsync();
        await RegisterAsync(owner, receiver.Url, "video.deleted");
        var videoId = (await owner.CreateUploadAsync(1000)).GetProperty("videoId").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/v1/videos/{videoId}")).StatusCode);
        var deleted = await Eventually.ValueAsync(() => receiver.Requests.FirstOrDefault(), r => r is not null, Wait, _ => Worker.Log);
        Assert.Equal("video.deleted", deleted!.Header("StreamForge-Event"));
        Assert.Equal(videoId, deleted.Json.GetProperty("data").GetProperty("id").GetGuid());
        Assert.Equal("clip.mp4", deleted.Json.GetProperty("data").GetProperty("fileName").GetString());
    }

    [Fact]
    public async Task An_account_holds_at_most_the_configured_number_of_endpoints()
    {
        var owner = await Api.RegisterAsync();
        for (var i = 0; i < 10; i++) await RegisterAsync(owner, $"http://127.0.0.1:9/hook{i}", "video.ready");
        var refused = await owner.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/one-more", events = new[] { "video.ready" } });
        Assert.Contains("at most 10", await refused.AssertProblemAsync(HttpStatusCode.Conflict));
    }

    private static async Task<(string Id, string Secret)> RegisterAsync(HttpClient owner, string url, params string[] events)
    {
        var response = await owner.PostAsJsonAsync("/api/v1/webhooks", new { url, events });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var created = await response.ReadJsonAsync();
        Assert.Equal(url, created.GetProperty("url").GetString());
        Assert.Equal(events, created.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        return (created.GetProperty("id").GetString()!, created.GetProperty("secret").GetString()!);
    }

    private static async Task<List<JsonElement>> DeliveriesAsync(HttpClient owner, string hookId)
    {
        var response = await owner.GetAsync($"/api/v1/webhooks/{hookId}/deliveries");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.ReadJsonAsync()).EnumerateArray().ToList();
    }
}

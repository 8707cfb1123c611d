using System.Security.Cryptography;
using StreamForge.Core.Events;
using StreamForge.Core.Videos;

namespace StreamForge.Tests.Api;

/// <summary>What a browser sees of a video that is playable while processing: playableAt in the API, the "playable" SSE event.</summary>
[Collection(StackCollection.Name)]
public sealed class PlayableApiTests(StackFixture stack)
{
    private const string Manifest = "https://cdn.example/media/v1/manifest.json";

    [Fact]
    public async Task A_playable_processing_video_is_announced_as_playable_and_shows_playableAt_until_cancelled()
    {
        var api = stack.Api;
        var client = await api.RegisterAsync();
        var ownerId = (await (await client.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("id").GetGuid();
        var created = await client.CreateUploadAsync(1_000);
        var videoId = created.GetProperty("videoId").GetGuid();
        await TestApi.PutToStorageAsync(stack.Storage, created.GetProperty("url").GetString()!, RandomNumberGenerator.GetBytes(1_000));
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/v1/uploads/{videoId}/complete", null)).StatusCode);
        var before = await (await client.GetAsync($"/api/v1/videos/{videoId}")).ReadJsonAsync();
        Assert.Equal(JsonValueKind.Null, before.GetProperty("playableAt").ValueKind);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var response = await client.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        await using var events = EventStream.ReadAsync(await response.Content.ReadAsStreamAsync(timeout.Token), timeout.Token).GetAsyncEnumerator(timeout.Token);
        // "ready" means the subscription exists, so nothing published after this can be missed.
        Assert.True(await events.MoveNextAsync());
        Assert.Equal("ready", events.Current.Event);

        await using (var scope = api.Services.CreateAsyncScope())
            Assert.True(await scope.ServiceProvider.GetRequiredService<VideoLifecycle>()
                .MarkPlayableAsync(videoId, ownerId, new PlayableFacts(1, Manifest, 30, 1280, 720), timeout.Token));
        // A progress report while growing is an ordinary "video" event, without a manifest.
        await api.Services.GetRequiredService<IVideoEventPublisher>().PublishAsync(new VideoEvent(videoId, ownerId, "processing", 40), timeout.Token);

        var (type, playable) = await NextForAsync(events, videoId);
        Assert.Equal("playable", type);
        Assert.Equal("processing", playable.GetProperty("status").GetString());
        Assert.Equal(Manifest, playable.GetProperty("manifestUrl").GetString());
        var playableAt = playable.GetProperty("playableAt").GetDateTimeOffset();
        var (progressType, progress) = await NextForAsync(events, videoId);
        Assert.Equal(("video", 40), (progressType, progress.GetProperty("progress").GetInt32()));
        Assert.Equal(JsonValueKind.Null, progress.GetProperty("manifestUrl").ValueKind);

        var video = await (await client.GetAsync($"/api/v1/videos/{videoId}")).ReadJsonAsync();
        Assert.Equal("processing", video.GetProperty("status").GetString());
        Assert.Equal(Manifest, video.GetProperty("manifestUrl").GetString());
        Assert.Equal(playableAt, video.GetProperty("playableAt").GetDateTimeOffset());
        var listed = (await (await client.GetAsync("/api/v1/videos")).ReadJsonAsync()).GetProperty("items").EnumerateArray()
            .Single(v => v.GetProperty("id").GetGuid() == videoId);
        Assert.Equal(playableAt, listed.GetProperty("playableAt").GetDateTimeOffset());

        // Cancelling drops the growing media from the video and from what the browser is told.
        Assert.True((await client.PostAsync($"/api/v1/videos/{videoId}/cancel", null, timeout.Token)).IsSuccessStatusCode);
        var (cancelType, cancelled) = await NextForAsync(events, videoId);
        Assert.Equal(("video", "failed"), (cancelType, cancelled.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Null, cancelled.GetProperty("manifestUrl").ValueKind);
        var after = await (await client.GetAsync($"/api/v1/videos/{videoId}")).ReadJsonAsync();
        Assert.Equal(JsonValueKind.Null, after.GetProperty("manifestUrl").ValueKind);
        Assert.Equal(JsonValueKind.Null, after.GetProperty("playableAt").ValueKind);
    }

    [Fact]
    public void Only_a_processing_event_with_a_manifest_is_sent_as_playable()
    {
        var id = Guid.NewGuid();
        Assert.Equal("playable", StreamForge.Api.Events.EventsApi.EventType(new VideoEvent(id, id, "processing", 5, ManifestUrl: Manifest)));
        Assert.Equal("video", StreamForge.Api.Events.EventsApi.EventType(new VideoEvent(id, id, "processing", 5)));
        Assert.Equal("video", StreamForge.Api.Events.EventsApi.EventType(new VideoEvent(id, id, "ready", 100, ManifestUrl: Manifest)));
        Assert.Equal("video", StreamForge.Api.Events.EventsApi.EventType(new VideoEvent(id, id, "failed", 5)));
    }

    /// <summary>The next event about <paramref name="videoId"/> (pings and other videos skipped).</summary>
    private static async Task<(string Event, JsonElement Data)> NextForAsync(IAsyncEnumerator<(string Event, string Data)> events, Guid videoId)
    {
        while (await events.MoveNextAsync())
        {
            if (events.Current.Data.Length == 0) continue;
            var data = JsonDocument.Parse(events.Current.Data).RootElement.Clone();
            if (data.TryGetProperty("videoId", out var id) && id.GetGuid() == videoId) return (events.Current.Event, data);
        }
        throw new Xunit.Sdk.XunitException("the event stream ended");
    }
}

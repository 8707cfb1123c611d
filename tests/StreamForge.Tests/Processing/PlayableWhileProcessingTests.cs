using System.Diagnostics;
using StreamForge.Core.Storage;
using Xunit.Abstractions;

namespace StreamForge.Tests.Processing;

/// <summary>
/// Playable while processing (issue 19), end to end with a real worker and ffmpeg: the video plays from a growing
/// version long before it is ready, switches to the complete one, and a failure or cancel part-way leaves nothing
/// half-public.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class PlayableWhileProcessingTests(StackFixture stack, ITestOutputHelper output)
{
    // A slow preset: the encode runs well past the first 4 s segment, so the growing phase is long enough to observe.
    private static readonly Dictionary<string, string> Slow = new() { ["Media__Preset"] = "medium" };

    [Fact]
    public async Task A_long_encode_plays_from_a_growing_manifest_while_processing_then_becomes_ready_and_complete()
    {
        await using var api = stack.NewApi();
        await using var worker = WorkerProcess.Start(stack, api.ConnectionString, Slow);
        var client = await api.RegisterAsync();
        var clock = Stopwatch.StartNew();
        var videoId = await VideoFlow.UploadAsync(client, await Clips.GenerateAsync(1920, 1080, 20, name: "growing.mp4"));

        var playable = await WaitForPlayableAsync(client, videoId, () => worker.Log);
        var playableAfter = clock.Elapsed;
        Assert.True(playable.GetProperty("status").GetString() == "processing", playable.ToString());
        Assert.Equal(JsonValueKind.String, playable.GetProperty("playableAt").ValueKind);
        var manifestUrl = playable.GetProperty("manifestUrl").GetString()!;
        Assert.Contains($"/{StorageKeys.MediaVersionPrefix(videoId, 1)}manifest.json", manifestUrl);

        using var http = new HttpClient();
        var baseUrl = manifestUrl[..(manifestUrl.LastIndexOf('/') + 1)];
        using (var response = await http.GetAsync(manifestUrl))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("public, max-age=1", response.Headers.CacheControl?.ToString());
            var manifest = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.False(manifest.GetProperty("complete").GetBoolean(), manifest.ToString());
            var count = manifest.GetProperty("segmentCount").GetInt32();
            Assert.InRange(count, 1, 4);
            Assert.InRange(manifest.GetProperty("expectedDuration").GetDouble(), 19.9, 20.1);
            Assert.True(manifest.GetProperty("duration").GetDouble() < 19.9, manifest.ToString());
            Assert.All(manifest.GetProperty("video").EnumerateArray(), v => Assert.Equal(count, v.GetProperty("segments").GetArrayLength()));
            await AssertEverythingNamedIsServedAsync(http, baseUrl, manifest);
            using var mpd = await http.GetAsync(baseUrl + "manifest.mpd");
            Assert.Equal(HttpStatusCode.OK, mpd.StatusCode);
            Assert.Equal("public, max-age=1", mpd.Headers.CacheControl?.ToString());
            Assert.Contains("type=\"dynamic\"", await mpd.Content.ReadAsStringAsync());
            var playlist = await http.GetStringAsync(baseUrl + "video/360p/index.m3u8");
            Assert.Contains("#EXT-X-PLAYLIST-TYPE:EVENT", playlist);
            Assert.DoesNotContain("#EXT-X-ENDLIST", playlist);
        }

        var ready = await VideoFlow.WaitForFinalAsync(client, videoId, TimeSpan.FromSeconds(240), () => worker.Log);
        Assert.True(ready.GetProperty("status").GetString() == "ready", ready.ToString());
        output.WriteLine($"playable after {playableAfter.TotalSeconds:0.0} s, ready after {clock.Elapsed.TotalSeconds:0.0} s (upload included)");
        Assert.Equal(playable.GetProperty("playableAt").GetString(), ready.GetProperty("playableAt").GetString());
        Assert.Equal(manifestUrl, ready.GetProperty("manifestUrl").GetString());

        // A cache may hold the growing manifest for its one second; then the complete one is served.
        var final = await Eventually.ValueAsync(async () => JsonDocument.Parse(await http.GetStringAsync(manifestUrl)).RootElement,
            m => m.GetProperty("complete").GetBoolean(), TimeSpan.FromSeconds(15), m => $"still growing: {m}");
        Assert.All(final.GetProperty("video").EnumerateArray(), v => Assert.Equal(5, v.GetProperty("segments").GetArrayLength()));
        Assert.InRange(final.GetProperty("duration").GetDouble(), 19.9, 20.1);
        await AssertEverythingNamedIsServedAsync(http, baseUrl, final);
        using (var response = await http.GetAsync(manifestUrl))
            Assert.Equal("public, max-age=10", response.Headers.CacheControl?.ToString());
        // The other indexes went up before the final manifest.json; a CDN may still hold its growing copy for a second.
        await Eventually.HoldsAsync(async () => (await http.GetStringAsync(baseUrl + "manifest.mpd")).Contains("type=\"static\"")
            && (await http.GetStringAsync(baseUrl + "video/360p/index.m3u8")).Contains("#EXT-X-ENDLIST"), TimeSpan.FromSeconds(15), () => "the final MPD or playlist is not served");
        Assert.Equal(["succeeded"], await TestDb.QueryAsync(api, "SELECT outcome FROM job_runs WHERE video_id = @id", videoId));
    }

    [Fact]
    public async Task A_storage_failure_after_the_first_manifest_fails_the_video_and_removes_its_media()
    {
        await using var proxy = new FaultProxy(stack.S3Endpoint, $"PUT /{stack.Bucket}/media/", faults: int.MaxValue) { Armed = false };
        await using var api = stack.NewApi();
        await using var worker = WorkerProcess.Start(stack, api.ConnectionString, new Dictionary<string, string>(Slow) { ["Storage__ServiceUrl"] = proxy.Endpoint });
        var client = await api.RegisterAsync();
        var videoId = await VideoFlow.UploadAsync(client, await Clips.GenerateAsync(1280, 720, 20, name: "growing-fault.mp4"));
        await WaitForPlayableAsync(client, videoId, () => worker.Log);
        Assert.NotEmpty(await StoredObjects.ListAsync(stack, StorageKeys.MediaPrefix(videoId)));

        proxy.Armed = true; // for good: every attempt from here on fails at its first media upload
        var video = await VideoFlow.WaitForFinalAsync(client, videoId, TimeSpan.FromSeconds(240), () => worker.Log);
        Assert.True(video.GetProperty("status").GetString() == "failed", video.ToString());
        Assert.Equal(JsonValueKind.Null, video.GetProperty("manifestUrl").ValueKind);
        Assert.Equal(JsonValueKind.Null, video.GetProperty("playableAt").ValueKind);
        Assert.True(proxy.Faulted > 0);
        Assert.Equal("failed", (await TestDb.QueryAsync(api, "SELECT outcome FROM job_runs WHERE video_id = @id ORDER BY id", videoId))[^1]);
        // The failing run deleted its version only after its publisher had stopped: nothing landed afterwards.
        Assert.Empty(await StoredObjects.ListAsync(stack, StorageKeys.MediaPrefix(videoId)));
    }

    [Fact]
    public async Task Cancel_while_playable_stops_ffmpeg_and_removes_the_growing_media()
    {
        await using var api = stack.NewApi();
        await using var worker = WorkerProcess.Start(stack, api.ConnectionString, Slow);
        var client = await api.RegisterAsync();
        var videoId = await VideoFlow.UploadAsync(client, await Clips.GenerateAsync(1280, 720, 20, name: "growing-cancel.mp4"));
        await WaitForPlayableAsync(client, videoId, () => worker.Log);
        var ffmpeg = FfmpegChildOf(worker.Id);
        Assert.True(ffmpeg is not null, "ffmpeg is not running while the video grows\n" + worker.Log);
        Assert.NotEmpty(await StoredObjects.ListAsync(stack, StorageKeys.MediaPrefix(videoId)));

        var response = await client.PostAsync($"/api/v1/videos/{videoId}/cancel", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        await Eventually.HoldsAsync(() => !Directory.Exists($"/proc/{ffmpeg}"), TimeSpan.FromSeconds(5), () => "ffmpeg still runs\n" + worker.Log);
        await Eventually.HoldsAsync(() => worker.Log.Contains($"Video {videoId} was deleted or cancelled while it was processed"),
            TimeSpan.FromSeconds(30), () => worker.Log);
        var video = await (await client.GetAsync($"/api/v1/videos/{videoId}")).ReadJsonAsync();
        Assert.Equal("failed", video.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, video.GetProperty("manifestUrl").ValueKind);
        Assert.Empty(await StoredObjects.ListAsync(stack, StorageKeys.MediaPrefix(videoId)));
    }

    private static Task<JsonElement> WaitForPlayableAsync(HttpClient client, Guid videoId, Func<string> log) =>
        Eventually.ValueAsync(async () => await (await client.GetAsync($"/api/v1/videos/{videoId}")).ReadJsonAsync(),
            v => v.GetProperty("status").GetString() != "processing" || v.GetProperty("manifestUrl").ValueKind == JsonValueKind.String,
            TimeSpan.FromSeconds(120), last => $"{videoId} never became playable (last seen: {last})\n{log()}", TimeSpan.FromMilliseconds(100));

    private static async Task AssertEverythingNamedIsServedAsync(HttpClient http, string baseUrl, JsonElement manifest)
    {
        var named = manifest.GetProperty("video").EnumerateArray().Append(manifest.GetProperty("audio"))
            .SelectMany(t => t.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("url").GetString()!).Prepend(t.GetProperty("init").GetString()!))
            .Concat(manifest.GetProperty("thumbnails").GetProperty("sprites").EnumerateArray().Select(s => s.GetProperty("url").GetString()!))
            .Append(manifest.GetProperty("thumbnails").GetProperty("vtt").GetString()!)
            .Append(manifest.GetProperty("hls").GetString()!)
            .ToList();
        foreach (var url in named)
        {
            using var response = await http.GetAsync(baseUrl + url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
        }
    }

    private static int? FfmpegChildOf(int pid)
    {
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            var name = Path.GetFileName(dir);
            if (!name.All(char.IsDigit)) continue;
            try
            {
                var stat = File.ReadAllText($"{dir}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[1] == pid.ToString() && stat.Contains("(ffmpeg)")) return int.Parse(name);
            }
            catch (IOException) { /* exited meanwhile */ }
        }
        return null;
    }
}

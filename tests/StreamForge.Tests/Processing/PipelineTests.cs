using System.Xml.Linq;

namespace StreamForge.Tests.Processing;

/// <summary>Upload → queue → a real worker process → real ffmpeg → storage → ready, end to end.</summary>
[Collection(StackCollection.Name)]
public sealed class PipelineTests(StackFixture stack) : WorkerTestBase(stack)
{
    [Fact]
    public async Task A_1080p_clip_with_audio_becomes_a_four_rung_ladder_that_plays()
    {
        var client = await Api.RegisterAsync();
        var clip = await Clips.GenerateAsync(1920, 1080, 6);
        var videoId = await VideoFlow.UploadAsync(client, clip);
        var video = await VideoFlow.WaitForFinalAsync(client, videoId, diagnostics: () => Worker.Log);
        Assert.True(video.GetProperty("status").GetString() == "ready", video.ToString());
        Assert.Equal(100, video.GetProperty("progress").GetInt32());
        Assert.InRange(video.GetProperty("durationSeconds").GetDouble(), 5.9, 6.2);
        Assert.Equal((1920, 1080), (video.GetProperty("width").GetInt32(), video.GetProperty("height").GetInt32()));
        var probe = video.GetProperty("probe");
        Assert.Equal("h264", probe.GetProperty("videoCodec").GetString());
        Assert.True(probe.GetProperty("hasAudio").GetBoolean());
        Assert.Equal(30, probe.GetProperty("fps").GetDouble(), 1);
        Assert.Equal(["360p", "480p", "720p", "1080p"], video.GetProperty("renditions").EnumerateArray().Select(r => r.GetProperty("id").GetString()));

        // Playback goes through the CDN when one runs.
        var manifestUrl = video.GetProperty("manifestUrl").GetString()!;
        if (Stack.CdnUrl is not null) Assert.StartsWith(Stack.CdnUrl, manifestUrl);
        using var manifestResponse = await Http.GetAsync(manifestUrl);
        Assert.Equal(HttpStatusCode.OK, manifestResponse.StatusCode);
        Assert.Contains("max-age=10", manifestResponse.Headers.CacheControl?.ToString());
        var manifest = JsonDocument.Parse(await manifestResponse.Content.ReadAsStringAsync()).RootElement;
        var baseUrl = manifestUrl[..(manifestUrl.LastIndexOf('/') + 1)];

        var rungs = manifest.GetProperty("video").EnumerateArray().ToList();
        Assert.Equal(4, rungs.Count);
        var starts = rungs.Select(r => r.GetProperty("segments").EnumerateArray().Select(s => Math.Round(s.GetProperty("start").GetDouble(), 2)).ToList()).ToList();
        Assert.All(starts, s => Assert.Equal(starts[0], s));
        Assert.True(starts[0].Count >= 2);
        Assert.Equal(JsonValueKind.Object, manifest.GetProperty("audio").ValueKind);
        Assert.StartsWith("mp4a.40", manifest.GetProperty("audio").GetProperty("codecs").GetString());

        // Each rung's init + segments concatenate into a file ffmpeg decodes without error.
        foreach (var rung in rungs)
        {
            Assert.Matches(@"^avc1\.[0-9a-fA-F]{6}$", rung.GetProperty("codecs").GetString());
            var file = Path.Combine(Path.GetTempPath(), $"{videoId}-{rung.GetProperty("id").GetString()}.mp4");
            await using (var output = File.Create(file))
            {
                foreach (var url in new[] { rung.GetProperty("init").GetString()! }.Concat(rung.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("url").GetString()!)))
                {
                    using var part = await Http.GetAsync(baseUrl + url);
                    Assert.Equal(HttpStatusCode.OK, part.StatusCode);
                    if (url.EndsWith(".m4s")) Assert.Contains("immutable", part.Headers.CacheControl?.ToString());
                    await part.Content.CopyToAsync(output);
                }
            }
            var errors = await Clips.RunAsync("ffmpeg", ["-v", "error", "-i", file, "-f", "null", "-"]);
            Assert.True(string.IsNullOrWhiteSpace(errors), errors);
            File.Delete(file);
        }

        // The standard MPD lists the same renditions.
        var mpd = XDocument.Parse(await Http.GetStringAsync(baseUrl + manifest.GetProperty("mpd").GetString()));
        XNamespace ns = "urn:mpeg:dash:schema:mpd:2011";
        var heights = mpd.Descendants(ns + "Representation").Where(r => r.Attribute("height") is not null).Select(r => (int)r.Attribute("height")!).Order().ToList();
        Assert.Equal([360, 480, 720, 1080], heights);

        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(baseUrl + manifest.GetProperty("thumbnails").GetProperty("vtt").GetString())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(video.GetProperty("posterUrl").GetString())).StatusCode);
        Assert.Equal(["succeeded"], await TestDb.QueryAsync(Api, "SELECT outcome FROM job_runs WHERE video_id = @id", videoId));
    }

    [Fact]
    public async Task Every_published_object_has_its_content_type_cache_control_and_no_content_encoding()
    {
        var client = await Api.RegisterAsync();
        var videoId = await VideoFlow.UploadAsync(client, await Clips.GenerateAsync(854, 480, 3, name: "headers.mp4"));
        var video = await VideoFlow.WaitForFinalAsync(client, videoId, diagnostics: () => Worker.Log);
        Assert.True(video.GetProperty("status").GetString() == "ready", video.ToString());
        var prefix = StreamForge.Core.Storage.StorageKeys.MediaVersionPrefix(videoId, 1);
        var keys = (await StoredObjects.ListAsync(Stack, prefix)).Keys.Order().ToList();
        Assert.Contains(prefix + "manifest.json", keys);
        Assert.Contains(prefix + "audio/init.mp4", keys);

        var checkedKinds = new HashSet<string>();
        foreach (var key in keys)
        {
            var relative = key[prefix.Length..];
            var (type, cache) = relative switch
            {
                "manifest.json" => ("application/json", "public, max-age=10"),
                "manifest.mpd" => ("application/dash+xml", "public, max-age=10"),
                "thumbs/thumbs.vtt" => ("text/vtt", "public, max-age=10"),
                _ when relative.EndsWith(".m3u8") => ("application/vnd.apple.mpegurl", "public, max-age=10"),
                _ when relative.EndsWith(".jpg") => ("image/jpeg", "public, max-age=31536000, immutable"),
                _ when relative.StartsWith("audio/") => ("audio/mp4", "public, max-age=31536000, immutable"),
                _ when relative.StartsWith("video/") => ("video/mp4", "public, max-age=31536000, immutable"),
                _ => throw new Xunit.Sdk.XunitException($"unexpected object {key}"),
            };
            checkedKinds.Add(type);
            foreach (var url in new[] { StoredObjects.OriginUrl(Stack, key), StoredObjects.CdnUrl(Stack, key) }.OfType<string>())
            {
                foreach (var method in new[] { HttpMethod.Head, HttpMethod.Get })
                {
                    using var response = await Http.SendAsync(new HttpRequestMessage(method, url));
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    Assert.True(type == response.Content.Headers.ContentType?.MediaType, $"{method} {url}: {response.Content.Headers.ContentType}");
                    Assert.True(response.Headers.NonValidated.TryGetValues("Cache-Control", out var cacheControl), $"{method} {url}: no Cache-Control");
                    Assert.Equal(cache, cacheControl.ToString());
                    Assert.True(response.Content.Headers.ContentEncoding.Count == 0, $"{method} {url}: Content-Encoding {string.Join(",", response.Content.Headers.ContentEncoding)}");
                }
            }
        }
        Assert.Equal(["application/dash+xml", "application/json", "application/vnd.apple.mpegurl", "audio/mp4", "image/jpeg", "text/vtt", "video/mp4"], checkedKinds.Order());
    }

    [SkippableFact]
    public async Task The_cdn_caches_segments()
    {
        Skip.If(Stack.CdnUrl is null, "nginx is not installed, so the stack runs without its CDN (npm test installs it)");
        var client = await Api.RegisterAsync();
        var videoId = await VideoFlow.UploadAsync(client, await Clips.GenerateAsync(640, 360, 3, name: "cdn.mp4"));
        var video = await VideoFlow.WaitForFinalAsync(client, videoId, diagnostics: () => Worker.Log);
        var manifestUrl = video.GetProperty("manifestUrl").GetString()!;
        var manifest = JsonDocument.Parse(await Http.GetStringAsync(manifestUrl)).RootElement;
        var segment = manifestUrl[..(manifestUrl.LastIndexOf('/') + 1)] + manifest.GetProperty("video")[0].GetProperty("segments")[0].GetProperty("url").GetString();
        using var first = await Http.GetAsync(segment);
        using var second = await Http.GetAsync(segment);
        Assert.Equal("MISS", first.Headers.GetValues("X-Cache-Status").Single());
        Assert.Equal("HIT", second.Headers.GetValues("X-Cache-Status").Single());
    }

    [Theory]
    [InlineData(854, 480, true, new[] { "360p", "480p" })]
    [InlineData(1080, 1920, true, new[] { "360p", "480p", "720p", "1080p" })]
    [InlineData(640, 360, false, new[] { "360p" })]
    [InlineData(853, 481, true, new[] { "360p", "480p" })]
    public async Task The_ladder_follows_the_source(int width, int height, bool audio, string[] expected)
    {
        var client = await Api.RegisterAsync();
        var videoId = await VideoFlow.UploadAsync(client, await Clips.GenerateAsync(width, height, 3, audio));
        var video = await VideoFlow.WaitForFinalAsync(client, videoId, diagnostics: () => Worker.Log);
        Assert.True(video.GetProperty("status").GetString() == "ready", video.ToString());
        var renditions = video.GetProperty("renditions").EnumerateArray().ToList();
        Assert.Equal(expected, renditions.Select(r => r.GetProperty("id").GetString()));
        foreach (var r in renditions)
        {
            var (w, h) = (r.GetProperty("width").GetInt32(), r.GetProperty("height").GetInt32());
            Assert.True(w % 2 == 0 && h % 2 == 0, $"{w}x{h} must be even");
            Assert.Equal(width < height, w < h);
        }
        var manifest = JsonDocument.Parse(await Http.GetStringAsync(video.GetProperty("manifestUrl").GetString())).RootElement;
        Assert.Equal(audio ? JsonValueKind.Object : JsonValueKind.Null, manifest.GetProperty("audio").ValueKind);
    }

    [Fact]
    public async Task The_owner_choice_of_max_quality_caps_the_ladder()
    {
        var client = await Api.RegisterAsync();
        var videoId = await VideoFlow.UploadAsync(client, await Clips.GenerateAsync(1920, 1080, 2, name: "cap.mp4"), maxQuality: 480);
        var video = await VideoFlow.WaitForFinalAsync(client, videoId, diagnostics: () => Worker.Log);
        Assert.Equal(["360p", "480p"], video.GetProperty("renditions").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Files_that_are_not_video_fail_at_once_with_a_readable_error()
    {
        var client = await Api.RegisterAsync();
        var text = Path.Combine(Path.GetTempPath(), $"notes-{Guid.NewGuid():N}.mp4");
        await File.WriteAllTextAsync(text, string.Concat(Enumerable.Repeat("This is a shopping list, not a video.\n", 200)));
        var clip = await File.ReadAllBytesAsync(await Clips.GenerateAsync(1280, 720, 3, name: "whole.mp4"));
        var truncated = Path.Combine(Path.GetTempPath(), $"truncated-{Guid.NewGuid():N}.mp4");
        await File.WriteAllBytesAsync(truncated, clip[..(clip.Length * 3 / 10)]);

        foreach (var path in new[] { text, truncated })
        {
            var videoId = await VideoFlow.UploadAsync(client, path);
            var video = await VideoFlow.WaitForFinalAsync(client, videoId, diagnostics: () => Worker.Log);
            Assert.Equal("failed", video.GetProperty("status").GetString());
            var error = video.GetProperty("lastError").GetString()!;
            Assert.False(string.IsNullOrWhiteSpace(error));
            Assert.DoesNotContain("Exception", error);
            Assert.Equal(1, video.GetProperty("processingAttempts").GetInt32());
            Assert.Equal(["failed"], await TestDb.QueryAsync(Api, "SELECT outcome FROM job_runs WHERE video_id = @id", videoId));
        }
    }

}

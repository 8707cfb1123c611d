using System.Buffers.Binary;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using StreamForge.Tests.Processing;

namespace StreamForge.Tests.Media;

/// <summary>
/// Chosen posters against the real stack: a video processed by a real worker, each way of choosing sent through the
/// API, the poster made by the worker's ffmpeg, and what storage then serves read back and decoded.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class PosterTests(StackFixture stack) : WorkerTestBase(stack)
{
    private async Task<(HttpClient Owner, Guid VideoId, JsonElement Video)> ReadyVideoAsync(string? title = null)
    {
        var owner = await Api.RegisterAsync();
        var videoId = await VideoFlow.UploadAsync(owner, await Clips.GenerateAsync(640, 360, 9));
        if (title is not null)
        {
            Assert.Equal(HttpStatusCode.OK, (await owner.PatchAsJsonAsync($"/api/v1/videos/{videoId}", new { title })).StatusCode);
        }

        var video = await VideoFlow.WaitForFinalAsync(owner, videoId, diagnostics: () => Worker.Log);
        Assert.True(video.GetProperty("status").GetString() == "ready", video.ToString());
        return (owner, videoId, video);
    }

    /// <summary>Polls the poster until the latest choice is made or has failed.</summary>
    private async Task<JsonElement> SettledAsync(HttpClient owner, Guid videoId)
    {
        var poster = await Eventually.ValueAsync(async () => await (await owner.GetAsync($"/api/v1/videos/{videoId}/poster")).ReadJsonAsync(),
            p => p.GetProperty("status").GetString() != "preparing", TimeSpan.FromSeconds(60),
            last => $"the poster never settled (last seen: {last})\n{Worker.Log}", TimeSpan.FromMilliseconds(200));
        return poster;
    }

    private async Task<string> ChosenAsync(HttpClient owner, Guid videoId, HttpResponseMessage put)
    {
        Assert.True(put.StatusCode == HttpStatusCode.Accepted, await put.Content.ReadAsStringAsync());
        Assert.Equal("preparing", (await put.ReadJsonAsync()).GetProperty("status").GetString());
        var poster = await SettledAsync(owner, videoId);
        Assert.True(poster.GetProperty("status").GetString() == "ready", poster.ToString());
        var url = poster.GetProperty("url").GetString()!;
        Assert.Equal(url, (await (await owner.GetAsync($"/api/v1/videos/{videoId}")).ReadJsonAsync()).GetProperty("posterUrl").GetString());
        return url;
    }

    private async Task<byte[]> FetchAsync(string url)
    {
        using var response = await Http.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", response.Headers.CacheControl?.ToString() ?? "");
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>ffprobe's view of a JPEG: codec, width, height.</summary>
    private static async Task<(string Codec, int Width, int Height)> ProbeAsync(byte[] jpeg)
    {
        var file = Path.Combine(Path.GetTempPath(), $"poster-{Guid.NewGuid():N}.jpg");
        await File.WriteAllBytesAsync(file, jpeg);
        try
        {
            var json = JsonDocument.Parse(await Clips.RunAsync("ffprobe", ["-v", "error", "-f", "jpeg_pipe", "-show_streams", "-of", "json", file])).RootElement;
            var stream = json.GetProperty("streams")[0];
            return (stream.GetProperty("codec_name").GetString()!, stream.GetProperty("width").GetInt32(), stream.GetProperty("height").GetInt32());
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The picture's average colour (decoded by ffmpeg, shrunk to one pixel).</summary>
    private static async Task<(int R, int G, int B)> AverageColourAsync(byte[] jpeg)
    {
        var file = Path.Combine(Path.GetTempPath(), $"poster-{Guid.NewGuid():N}.jpg");
        var raw = file + ".rgb";
        await File.WriteAllBytesAsync(file, jpeg);
        try
        {
            await Clips.RunAsync("ffmpeg", ["-v", "error", "-y", "-f", "jpeg_pipe", "-i", file, "-vf", "scale=1:1:flags=area", "-f", "rawvideo", "-pix_fmt", "rgb24", raw]);
            var rgb = await File.ReadAllBytesAsync(raw);
            return (rgb[0], rgb[1], rgb[2]);
        }
        finally
        {
            File.Delete(file);
            File.Delete(raw);
        }
    }

    private static async Task<byte[]> ImageAsync(string colour, int width, int height, string extension)
    {
        var file = Path.Combine(Path.GetTempPath(), $"upload-{Guid.NewGuid():N}.{extension}");
        await Clips.RunAsync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", $"color=c={colour}:s={width}x{height}", "-frames:v", "1", "-update", "1", file]);
        var bytes = await File.ReadAllBytesAsync(file);
        File.Delete(file);
        return bytes;
    }

    private static ByteArrayContent Body(byte[] bytes, string type)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    private async Task<string> ManifestPosterAsync(Guid videoId)
    {
        using var response = await Http.GetAsync(StoredObjects.OriginUrl(Stack, $"media/{videoId}/v1/manifest.json"));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("poster").GetString()!;
    }

    [Fact]
    public async Task Each_way_of_choosing_publishes_a_new_key_and_never_rewrites_an_old_one()
    {
        var (owner, videoId, video) = await ReadyVideoAsync();
        var original = video.GetProperty("posterUrl").GetString()!;
        Assert.EndsWith($"/media/{videoId}/v1/poster.jpg", original);
        Assert.Equal("default", (await (await owner.GetAsync($"/api/v1/videos/{videoId}/poster")).ReadJsonAsync()).GetProperty("status").GetString());
        var seen = new Dictionary<string, byte[]> { [original] = await FetchAsync(original) };

        // (a) a thumbnail tile: tile 2 is the frame at 2 × 4 s.
        var sprite = await ChosenAsync(owner, videoId, await owner.PutAsJsonAsync($"/api/v1/videos/{videoId}/poster", new { fromSprite = 2 }));
        Assert.EndsWith($"/media/{videoId}/v1/poster-1.jpg", sprite);
        Assert.Equal("poster-1.jpg", await ManifestPosterAsync(videoId));
        seen[sprite] = await FetchAsync(sprite);
        Assert.Equal(("mjpeg", 640, 360), await ProbeAsync(seen[sprite]));
        Assert.NotEqual(seen[original], seen[sprite]);

        // (b) a time on the seek bar, in another segment than the tile's.
        var frame = await ChosenAsync(owner, videoId, await owner.PutAsJsonAsync($"/api/v1/videos/{videoId}/poster", new { atSeconds = 5.5 }));
        Assert.EndsWith($"/media/{videoId}/v1/poster-2.jpg", frame);
        Assert.Equal("poster-2.jpg", await ManifestPosterAsync(videoId));
        seen[frame] = await FetchAsync(frame);
        Assert.Equal(("mjpeg", 640, 360), await ProbeAsync(seen[frame]));
        Assert.NotEqual(seen[sprite], seen[frame]);

        // (c) an uploaded PNG, larger than the poster box: re-encoded as a JPEG 640 wide, keeping its aspect; still red.
        var upload = await ChosenAsync(owner, videoId, await owner.PutAsync($"/api/v1/videos/{videoId}/poster/image", Body(await ImageAsync("red", 1280, 960, "png"), "image/png")));
        Assert.EndsWith($"/media/{videoId}/v1/poster-3.jpg", upload);
        Assert.Equal("poster-3.jpg", await ManifestPosterAsync(videoId));
        seen[upload] = await FetchAsync(upload);
        Assert.Equal(("mjpeg", 640, 480), await ProbeAsync(seen[upload]));
        var (r, g, b) = await AverageColourAsync(seen[upload]);
        Assert.True(r > 200 && g < 60 && b < 60, $"expected red, got {r},{g},{b}");
        // A JPEG smaller than the box keeps its size; no byte of an upload is published as sent.
        var small = await ImageAsync("blue", 320, 200, "jpg");
        var jpeg = await ChosenAsync(owner, videoId, await owner.PutAsync($"/api/v1/videos/{videoId}/poster/image", Body(small, "image/jpeg")));
        Assert.EndsWith("/poster-4.jpg", jpeg);
        seen[jpeg] = await FetchAsync(jpeg);
        Assert.Equal(("mjpeg", 320, 200), await ProbeAsync(seen[jpeg]));
        Assert.NotEqual(small, seen[jpeg]);
        Assert.Empty(await StoredObjects.ListAsync(Stack, $"raw/{videoId}/poster-"));

        // Every key ever served still has the bytes it was first served with.
        foreach (var (url, bytes) in seen) Assert.Equal(bytes, await FetchAsync(url));
    }

    [Fact]
    public async Task Hostile_uploads_and_bad_choices_are_refused_with_readable_problems()
    {
        var (owner, videoId, video) = await ReadyVideoAsync();
        var before = video.GetProperty("posterUrl").GetString();
        var image = $"/api/v1/videos/{videoId}/poster/image";

        // Not an image (declared as one, or not).
        Assert.Contains("not a JPEG or PNG", await (await owner.PutAsync(image, Body("just some text\n"u8.ToArray(), "image/png"))).AssertProblemAsync(HttpStatusCode.BadRequest));
        Assert.Contains("image/jpeg or image/png", await (await owner.PutAsync(image, Body("just some text\n"u8.ToArray(), "text/plain"))).AssertProblemAsync(HttpStatusCode.UnsupportedMediaType));
        // A PNG signature followed by garbage.
        var garbage = new byte[4096];
        new Random(7).NextBytes(garbage);
        Assert.Contains("damaged", await (await owner.PutAsync(image, Body([.. Png.Signature, .. garbage], "image/png"))).AssertProblemAsync(HttpStatusCode.BadRequest));
        Assert.Contains("damaged", await (await owner.PutAsync(image, Body([0xFF, 0xD8, 0xFF, 0xDA, 0, 8, .. garbage], "image/jpeg"))).AssertProblemAsync(HttpStatusCode.BadRequest));
        // A dimension bomb: a valid header declaring 20000×20000 pixels (1.6 GB decoded) is refused before any decoding.
        Assert.Contains("20000×20000", await (await owner.PutAsync(image, Body(Png.Header(20000, 20000, garbage), "image/png"))).AssertProblemAsync(HttpStatusCode.BadRequest));
        // Over the byte limit.
        Assert.Contains("at most", await (await owner.PutAsync(image, Body(Png.Header(64, 64, new byte[5 * 1024 * 1024]), "image/png"))).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge));
        Assert.Equal("default", (await (await owner.GetAsync($"/api/v1/videos/{videoId}/poster")).ReadJsonAsync()).GetProperty("status").GetString());

        // A polyglot whose header is a valid PNG but whose data is not: the worker's decoder refuses it, the choice
        // fails with ffmpeg's words, and the poster stays what it was.
        Assert.Equal(HttpStatusCode.Accepted, (await owner.PutAsync(image, Body(Png.Header(64, 64, garbage), "image/png"))).StatusCode);
        var failed = await SettledAsync(owner, videoId);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.StartsWith("The image could not be decoded", failed.GetProperty("error").GetString());
        Assert.Equal(before, failed.GetProperty("url").GetString());
        Assert.Equal("poster.jpg", await ManifestPosterAsync(videoId));
        Assert.DoesNotContain((await StoredObjects.ListAsync(Stack, $"media/{videoId}/v1/")).Keys, k => k.Contains("poster-", StringComparison.Ordinal));

        // Frames: exactly one of the two, within the video.
        var frame = $"/api/v1/videos/{videoId}/poster";
        Assert.Contains("exactly one", await (await owner.PutAsJsonAsync(frame, new { })).AssertProblemAsync(HttpStatusCode.BadRequest));
        Assert.Contains("exactly one", await (await owner.PutAsJsonAsync(frame, new { fromSprite = 0, atSeconds = 1 })).AssertProblemAsync(HttpStatusCode.BadRequest));
        Assert.Contains("tile from 0 to 2", await (await owner.PutAsJsonAsync(frame, new { fromSprite = 3 })).AssertProblemAsync(HttpStatusCode.BadRequest));
        Assert.Contains("tile from 0", await (await owner.PutAsJsonAsync(frame, new { fromSprite = -1 })).AssertProblemAsync(HttpStatusCode.BadRequest));
        Assert.Contains("atSeconds", await (await owner.PutAsJsonAsync(frame, new { atSeconds = 9.5 })).AssertProblemAsync(HttpStatusCode.BadRequest));
        Assert.Contains("atSeconds", await (await owner.PutAsJsonAsync(frame, new { atSeconds = -1 })).AssertProblemAsync(HttpStatusCode.BadRequest));
        await (await owner.PutAsync(frame, new StringContent("{\"atSeconds\": \"soon\"}", System.Text.Encoding.UTF8, "application/json"))).AssertProblemAsync(HttpStatusCode.BadRequest);

        // Someone else's video does not exist for them; a video not yet ready cannot have its poster chosen.
        var stranger = await Api.RegisterAsync();
        await (await stranger.GetAsync(frame)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.PutAsJsonAsync(frame, new { fromSprite = 0 })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.PutAsync(image, Body(await ImageAsync("red", 64, 64, "png"), "image/png"))).AssertProblemAsync(HttpStatusCode.NotFound);
        var pending = (await owner.CreateUploadAsync(1000)).GetProperty("videoId").GetGuid();
        Assert.Contains("ready", await (await owner.PutAsJsonAsync($"/api/v1/videos/{pending}/poster", new { fromSprite = 0 })).AssertProblemAsync(HttpStatusCode.Conflict));
        Assert.Contains("ready", await (await owner.PutAsync($"/api/v1/videos/{pending}/poster/image", Body(await ImageAsync("red", 64, 64, "png"), "image/png"))).AssertProblemAsync(HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task Reprocessing_starts_the_new_version_with_its_own_poster_and_a_new_choice_publishes_there()
    {
        var (owner, videoId, _) = await ReadyVideoAsync();
        var chosen = await ChosenAsync(owner, videoId, await owner.PutAsJsonAsync($"/api/v1/videos/{videoId}/poster", new { fromSprite = 1 }));
        Assert.EndsWith("/v1/poster-1.jpg", chosen);
        // A later choice that failed: its error belongs to v1 and must not greet the owner of v2.
        var garbage = new byte[4096];
        new Random(11).NextBytes(garbage);
        Assert.Equal(HttpStatusCode.Accepted, (await owner.PutAsync($"/api/v1/videos/{videoId}/poster/image", Body(Png.Header(64, 64, garbage), "image/png"))).StatusCode);
        Assert.Equal("failed", (await SettledAsync(owner, videoId)).GetProperty("status").GetString());

        var admin = await Api.LoginAdminAsync(Stack);
        var requeue = await admin.PostAsync("/api/v1/admin/jobs/requeue", new StringContent($$"""{"videoIds":["{{videoId}}"]}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(1, (await requeue.ReadJsonAsync()).GetProperty("requeued").GetInt32());
        // Not while the worker writes the next version.
        await (await owner.PutAsJsonAsync($"/api/v1/videos/{videoId}/poster", new { fromSprite = 0 })).AssertProblemAsync(HttpStatusCode.Conflict);
        var video = await VideoFlow.WaitForFinalAsync(owner, videoId, diagnostics: () => Worker.Log);
        Assert.EndsWith($"/media/{videoId}/v2/poster.jpg", video.GetProperty("posterUrl").GetString());
        var poster = await (await owner.GetAsync($"/api/v1/videos/{videoId}/poster")).ReadJsonAsync();
        Assert.Equal("default", poster.GetProperty("status").GetString());
        Assert.True(poster.GetProperty("error").ValueKind == JsonValueKind.Null, poster.ToString());

        // Numbers are never reused (the failed choice took 2), so the next choice is poster-3.jpg, now under v2.
        var next = await ChosenAsync(owner, videoId, await owner.PutAsJsonAsync($"/api/v1/videos/{videoId}/poster", new { atSeconds = 2 }));
        Assert.EndsWith($"/media/{videoId}/v2/poster-3.jpg", next);
        using var response = await Http.GetAsync(StoredObjects.OriginUrl(Stack, $"media/{videoId}/v2/manifest.json"));
        Assert.Equal("poster-3.jpg", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("poster").GetString());
    }

    [Fact]
    public async Task The_watch_page_unfurls_with_escaped_open_graph_tags()
    {
        const string title = "Cats \"><script>alert(1)</script> & dogs";
        var (owner, videoId, _) = await ReadyVideoAsync(title);
        var poster = await ChosenAsync(owner, videoId, await owner.PutAsJsonAsync($"/api/v1/videos/{videoId}/poster", new { atSeconds = 1 }));

        var dist = Directory.CreateTempSubdirectory("streamforge-dist-").FullName;
        await File.WriteAllTextAsync(Path.Combine(dist, "index.html"),
            "<!doctype html>\n<html lang=\"en\">\n  <head>\n    <title>StreamForge</title>\n  </head>\n  <body><div id=\"root\"></div></body>\n</html>\n");
        await using var web = Stack.NewApi(new Dictionary<string, string> { ["Web:DistPath"] = dist, ["ConnectionStrings:Postgres"] = Api.ConnectionString, ["App:PublicUrl"] = "https://video.example.com/" });
        using var anonymous = web.CreateClient();

        using var response = await anonymous.GetAsync($"/watch/{videoId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("\"><script", html);
        const string escaped = "Cats &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; dogs";
        Assert.Contains($"<meta property=\"og:title\" content=\"{escaped}\" />", html);
        Assert.Contains($"<title>{escaped} · StreamForge</title>", html);
        Assert.Contains("<meta property=\"og:type\" content=\"video.other\" />", html);
        Assert.Contains($"<meta property=\"og:image\" content=\"{poster}\" />", html);
        Assert.StartsWith("http", poster);
        Assert.Contains("<meta property=\"video:duration\" content=\"9\" />", html);
        Assert.Contains("<meta name=\"twitter:card\" content=\"summary_large_image\" />", html);
        Assert.Contains($"<meta property=\"og:url\" content=\"https://video.example.com/watch/{videoId}\" />", html);

        // A video that does not exist, or cannot be watched yet, gets the plain page.
        foreach (var other in new[] { Guid.NewGuid(), (await owner.CreateUploadAsync(1000)).GetProperty("videoId").GetGuid() })
        {
            var plain = await (await anonymous.GetAsync($"/watch/{other}")).Content.ReadAsStringAsync();
            Assert.DoesNotContain("og:", plain);
            Assert.Contains("<title>StreamForge</title>", plain);
        }
    }

    /// <summary>Hand-made PNG bytes: a valid signature and IHDR chunk (correct CRC) followed by whatever data is given.</summary>
    private static class Png
    {
        public static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

        public static byte[] Header(int width, int height, byte[] rest)
        {
            var chunk = new byte[4 + 13];
            "IHDR"u8.CopyTo(chunk);
            BinaryPrimitives.WriteInt32BigEndian(chunk.AsSpan(4), width);
            BinaryPrimitives.WriteInt32BigEndian(chunk.AsSpan(8), height);
            chunk[12] = 8;  // bit depth
            chunk[13] = 6;  // RGBA
            var bytes = new List<byte>(Signature);
            bytes.AddRange([0, 0, 0, 13]);
            bytes.AddRange(chunk);
            var crc = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(chunk));
            bytes.AddRange(crc);
            bytes.AddRange(rest);
            return [.. bytes];
        }

        private static uint Crc32(ReadOnlySpan<byte> data)
        {
            var c = 0xFFFFFFFFu;
            foreach (var b in data)
            {
                c ^= b;
                for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            return c ^ 0xFFFFFFFFu;
        }
    }
}

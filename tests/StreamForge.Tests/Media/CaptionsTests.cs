using System.Text;
using System.Xml.Linq;
using Npgsql;
using StreamForge.Tests.Processing;

namespace StreamForge.Tests.Media;

/// <summary>
/// Captions against the real stack: a video processed by a real worker, caption files sent through the API, and the
/// published manifest.json, MPD and HLS playlists read back from storage.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class CaptionsTests(StackFixture stack) : WorkerTestBase(stack)
{
    private const string Srt = "1\r\n00:00:00,500 --> 00:00:02,000\r\nHello <b>there</b> & welcome\r\n\r\n2\r\n00:00:02,500 --> 00:00:03,900\r\nSecond cue\r\n";

    private static StringContent Body(string text, string type = "application/x-subrip") => new(text, Encoding.UTF8, type);

    private async Task<(HttpClient Owner, Guid VideoId, JsonElement Video)> ReadyVideoAsync()
    {
        var owner = await Api.RegisterAsync();
        var videoId = await VideoFlow.UploadAsync(owner, await Clips.GenerateAsync(640, 360, 4));
        var video = await VideoFlow.WaitForFinalAsync(owner, videoId, diagnostics: () => Worker.Log);
        Assert.True(video.GetProperty("status").GetString() == "ready", video.ToString());
        return (owner, videoId, video);
    }

    /// <summary>An index file as storage has it now (the CDN may serve a copy up to its max-age old).</summary>
    private async Task<string> OriginTextAsync(Guid videoId, int version, string relative)
    {
        using var response = await Http.GetAsync(StoredObjects.OriginUrl(Stack, $"media/{videoId}/v{version}/{relative}"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{relative}: {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Srt_and_vtt_captions_appear_in_the_manifest_the_mpd_and_hls_and_can_be_removed()
    {
        var (owner, videoId, _) = await ReadyVideoAsync();

        var put = await owner.PutAsync($"/api/v1/videos/{videoId}/captions/EN-us?label=English", Body(Srt));
        Assert.True(put.StatusCode == HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        var track = await put.ReadJsonAsync();
        Assert.Equal("en-US", track.GetProperty("lang").GetString());
        Assert.Equal(2, track.GetProperty("cueCount").GetInt32());
        var vttUrl = track.GetProperty("url").GetString()!;
        Assert.EndsWith($"/media/{videoId}/v1/captions/en-US.vtt", vttUrl);

        using (var vtt = await Http.GetAsync(vttUrl))
        {
            Assert.Equal(HttpStatusCode.OK, vtt.StatusCode);
            Assert.Equal("text/vtt", vtt.Content.Headers.ContentType?.MediaType);
            Assert.Contains("max-age=10", vtt.Headers.CacheControl?.ToString());
            Assert.Equal("WEBVTT\n\n00:00:00.500 --> 00:00:02.000\nHello <b>there</b> &amp; welcome\n\n00:00:02.500 --> 00:00:03.900\nSecond cue\n", await vtt.Content.ReadAsStringAsync());
        }

        var de = await owner.PutAsync($"/api/v1/videos/{videoId}/captions/de?label=Deutsch", Body("\uFEFFWEBVTT\r\n\r\n00:01.000 --> 00:03.000\r\nHallo\r\n", "text/vtt"));
        Assert.True(de.StatusCode == HttpStatusCode.OK, await de.Content.ReadAsStringAsync());

        var list = (await (await owner.GetAsync($"/api/v1/videos/{videoId}/captions")).ReadJsonAsync()).EnumerateArray().ToList();
        Assert.Equal(["de", "en-US"], list.Select(t => t.GetProperty("lang").GetString()));
        var detail = await (await owner.GetAsync($"/api/v1/videos/{videoId}")).ReadJsonAsync();
        Assert.Equal(["Deutsch", "English"], detail.GetProperty("captions").EnumerateArray().Select(t => t.GetProperty("label").GetString()));

        var manifest = JsonDocument.Parse(await OriginTextAsync(videoId, 1, "manifest.json")).RootElement;
        Assert.Equal(
            [("de", "Deutsch", "captions/de.vtt"), ("en-US", "English", "captions/en-US.vtt")],
            manifest.GetProperty("captions").EnumerateArray().Select(t => (t.GetProperty("lang").GetString(), t.GetProperty("label").GetString(), t.GetProperty("url").GetString())));
        // The rewrite kept everything else: the same rungs and segments as the worker published.
        Assert.NotEmpty(manifest.GetProperty("video")[0].GetProperty("segments").EnumerateArray());

        XNamespace dash = "urn:mpeg:dash:schema:mpd:2011";
        var mpd = XDocument.Parse(await OriginTextAsync(videoId, 1, "manifest.mpd"));
        var textSets = mpd.Descendants(dash + "AdaptationSet").Where(s => (string?)s.Attribute("contentType") == "text").ToList();
        Assert.Equal(["de", "en-US"], textSets.Select(s => (string?)s.Attribute("lang")));
        Assert.All(textSets, s => Assert.Equal("text/vtt", (string?)s.Attribute("mimeType")));
        Assert.Equal("captions/en-US.vtt", (string?)textSets[1].Descendants(dash + "BaseURL").Single());
        Assert.NotNull(mpd.Descendants(dash + "SegmentTimeline").FirstOrDefault());

        var master = await OriginTextAsync(videoId, 1, "master.m3u8");
        Assert.Contains("#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"English\",LANGUAGE=\"en-US\"", master);
        Assert.All(master.Split('\n').Where(l => l.StartsWith("#EXT-X-STREAM-INF:", StringComparison.Ordinal)), l => Assert.Contains("SUBTITLES=\"subs\"", l));
        var subtitles = await OriginTextAsync(videoId, 1, "captions/en-US.m3u8");
        Assert.Contains("\nen-US.vtt\n#EXT-X-ENDLIST", subtitles);

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/v1/videos/{videoId}/captions/en-us")).StatusCode);
        manifest = JsonDocument.Parse(await OriginTextAsync(videoId, 1, "manifest.json")).RootElement;
        Assert.Equal(["de"], manifest.GetProperty("captions").EnumerateArray().Select(t => t.GetProperty("lang").GetString()));
        Assert.DoesNotContain("en-US", await OriginTextAsync(videoId, 1, "master.m3u8"));
        var stored = await StoredObjects.ListAsync(Stack, $"media/{videoId}/v1/captions/");
        Assert.Equal([$"media/{videoId}/v1/captions/de.m3u8", $"media/{videoId}/v1/captions/de.vtt"], stored.Keys.Order(StringComparer.Ordinal));
        await (await owner.DeleteAsync($"/api/v1/videos/{videoId}/captions/en-US")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bad_caption_files_and_wrong_callers_get_readable_problems_and_change_nothing()
    {
        var (owner, videoId, _) = await ReadyVideoAsync();
        var other = await Api.RegisterAsync();
        var pending = (await owner.CreateUploadAsync(1000)).GetProperty("videoId").GetGuid();
        var before = await CountCaptionsAsync();

        var png = new ByteArrayContent([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0xFF, 0xD8]);
        Assert.Contains("UTF-8", await (await owner.PutAsync($"/api/v1/videos/{videoId}/captions/en", png)).AssertProblemAsync(HttpStatusCode.BadRequest));
        Assert.Contains("neither", await (await owner.PutAsync($"/api/v1/videos/{videoId}/captions/en", Body("<html>not captions</html>"))).AssertProblemAsync(HttpStatusCode.BadRequest));
        Assert.Contains("before it starts", await (await owner.PutAsync($"/api/v1/videos/{videoId}/captions/en", Body("1\n00:00:05,000 --> 00:00:01,000\nback\n"))).AssertProblemAsync(HttpStatusCode.BadRequest));
        var huge = "WEBVTT\n\n" + string.Concat(Enumerable.Repeat("00:00:01.000 --> 00:00:02.000\n" + new string('x', 100) + "\n\n", 8000));
        Assert.Contains("1,000,000", await (await owner.PutAsync($"/api/v1/videos/{videoId}/captions/en", Body(huge, "text/vtt"))).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge));
        Assert.Contains("BCP-47", await (await owner.PutAsync($"/api/v1/videos/{videoId}/captions/..%2Fetc", Body(Srt))).AssertProblemAsync(HttpStatusCode.BadRequest));
        Assert.Contains("label", await (await owner.PutAsync($"/api/v1/videos/{videoId}/captions/en?label=%E2%80%AEevil", Body(Srt))).AssertProblemAsync(HttpStatusCode.BadRequest));
        Assert.Contains("ready", await (await owner.PutAsync($"/api/v1/videos/{pending}/captions/en", Body(Srt))).AssertProblemAsync(HttpStatusCode.Conflict));

        await (await other.PutAsync($"/api/v1/videos/{videoId}/captions/en", Body(Srt))).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await other.GetAsync($"/api/v1/videos/{videoId}/captions")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(before, await CountCaptionsAsync());

        // The owner's track cannot be removed by someone else; an admin may add one.
        Assert.Equal(HttpStatusCode.OK, (await owner.PutAsync($"/api/v1/videos/{videoId}/captions/en", Body(Srt))).StatusCode);
        await (await other.DeleteAsync($"/api/v1/videos/{videoId}/captions/en")).AssertProblemAsync(HttpStatusCode.NotFound);
        var admin = await Api.LoginAdminAsync(Stack);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync($"/api/v1/videos/{videoId}/captions/fr?label=Fran%C3%A7ais", Body(Srt))).StatusCode);
        Assert.Equal(before + 2, await CountCaptionsAsync());
        Assert.DoesNotContain((await StoredObjects.ListAsync(Stack, $"media/{videoId}/")).Keys, k => k.Contains("..", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reprocessing_a_video_keeps_its_captions_in_the_new_version()
    {
        var (owner, videoId, _) = await ReadyVideoAsync();
        Assert.Equal(HttpStatusCode.OK, (await owner.PutAsync($"/api/v1/videos/{videoId}/captions/en?label=English", Body(Srt))).StatusCode);

        var admin = await Api.LoginAdminAsync(Stack);
        var requeue = await admin.PostAsync("/api/v1/admin/jobs/requeue", new StringContent($$"""{"videoIds":["{{videoId}}"]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(1, (await requeue.ReadJsonAsync()).GetProperty("requeued").GetInt32());
        // While it is processing, captions cannot change underneath the worker.
        await (await owner.PutAsync($"/api/v1/videos/{videoId}/captions/de", Body(Srt))).AssertProblemAsync(HttpStatusCode.Conflict);
        var video = await VideoFlow.WaitForFinalAsync(owner, videoId, diagnostics: () => Worker.Log);
        Assert.Contains("/v2/", video.GetProperty("manifestUrl").GetString());

        var manifest = JsonDocument.Parse(await OriginTextAsync(videoId, 2, "manifest.json")).RootElement;
        Assert.Equal(["en"], manifest.GetProperty("captions").EnumerateArray().Select(t => t.GetProperty("lang").GetString()));
        Assert.StartsWith("WEBVTT\n\n00:00:00.500 --> 00:00:02.000", await OriginTextAsync(videoId, 2, "captions/en.vtt"));
        Assert.Contains("TYPE=SUBTITLES", await OriginTextAsync(videoId, 2, "master.m3u8"));
        Assert.Contains("contentType=\"text\"", await OriginTextAsync(videoId, 2, "manifest.mpd"));
        var detail = await (await owner.GetAsync($"/api/v1/videos/{videoId}")).ReadJsonAsync();
        Assert.Contains("/v2/captions/en.vtt", detail.GetProperty("captions")[0].GetProperty("url").GetString());
    }

    private async Task<long> CountCaptionsAsync()
    {
        await using var conn = new NpgsqlConnection(Api.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM captions", conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}

using System.Xml.Linq;

namespace StreamForge.Tests.Processing;

/// <summary>A source with two languages through the real worker: every index format names both tracks.</summary>
[Collection(StackCollection.Name)]
public sealed class AudioTracksTests(StackFixture stack) : WorkerTestBase(stack)
{
    [Fact]
    public async Task A_two_language_source_is_published_with_both_tracks_in_manifest_json_the_mpd_and_hls()
    {
        var client = await Api.RegisterAsync();
        var videoId = await VideoFlow.UploadAsync(client, await TwoLanguageClipAsync());
        var video = await VideoFlow.WaitForFinalAsync(client, videoId, diagnostics: () => Worker.Log);
        Assert.True(video.GetProperty("status").GetString() == "ready", video.ToString());

        var manifestUrl = video.GetProperty("manifestUrl").GetString()!;
        var baseUrl = manifestUrl[..(manifestUrl.LastIndexOf('/') + 1)];
        var manifest = JsonDocument.Parse(await Http.GetStringAsync(manifestUrl)).RootElement;

        var tracks = manifest.GetProperty("audioTracks").EnumerateArray().ToList();
        Assert.Equal(
            [("audio", "eng", "English", true), ("audio-2", "fra", "Français", false)],
            tracks.Select(t => (t.GetProperty("id").GetString(), t.GetProperty("lang").GetString(), t.GetProperty("label").GetString(), t.GetProperty("default").GetBoolean())));
        // Older players read "audio": the default track, at the keys a one-track version always had.
        Assert.Equal("audio/init.mp4", manifest.GetProperty("audio").GetProperty("init").GetString());
        Assert.False(manifest.GetProperty("audio").TryGetProperty("lang", out _));

        // Each track's segments are published (audio/mp4) and as many as the video's, starting where the video's do.
        var videoStarts = manifest.GetProperty("video")[0].GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("start").GetDouble()).ToList();
        foreach (var track in tracks)
        {
            var segments = track.GetProperty("segments").EnumerateArray().ToList();
            Assert.True(segments.Count >= videoStarts.Count, $"{segments.Count} audio segments for {videoStarts.Count} video segments");
            Assert.All(videoStarts.Zip(segments), p => Assert.InRange(p.Second.GetProperty("start").GetDouble() - p.First, -0.1, 0.1));
            using var init = await Http.GetAsync(baseUrl + track.GetProperty("init").GetString());
            Assert.Equal(HttpStatusCode.OK, init.StatusCode);
            Assert.Equal("audio/mp4", init.Content.Headers.ContentType?.MediaType);
            using var last = await Http.GetAsync(baseUrl + segments[^1].GetProperty("url").GetString());
            Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        }

        XNamespace ns = "urn:mpeg:dash:schema:mpd:2011";
        var mpd = XDocument.Parse(await Http.GetStringAsync(baseUrl + manifest.GetProperty("mpd").GetString()));
        var audioSets = mpd.Descendants(ns + "AdaptationSet").Where(s => (string?)s.Attribute("contentType") == "audio").ToList();
        Assert.Equal(["eng", "fra"], audioSets.Select(s => (string?)s.Attribute("lang")));
        Assert.Equal(["English", "Français"], audioSets.Select(s => (string?)s.Element(ns + "Label")));

        var master = await Http.GetStringAsync(baseUrl + manifest.GetProperty("hls").GetString());
        var media = master.Split('\n').Where(l => l.StartsWith("#EXT-X-MEDIA:TYPE=AUDIO", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, media.Count);
        Assert.Contains("LANGUAGE=\"eng\",DEFAULT=YES", media[0]);
        Assert.Contains("LANGUAGE=\"fra\",DEFAULT=NO", media[1]);
        Assert.All(media, m => Assert.Contains("GROUP-ID=\"audio\"", m));
        Assert.Contains("#EXTINF:", await Http.GetStringAsync(baseUrl + "audio/2/index.m3u8"));
    }

    /// <summary>
    /// 640x360, 5 s, a 440 Hz English and an 880 Hz French track. Matroska: ffmpeg's MP4 muxer would drop the titles.
    /// </summary>
    private static async Task<string> TwoLanguageClipAsync()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("streamforge-audio-").FullName, "two-languages.mkv");
        await Clips.RunAsync("ffmpeg",
        [
            "-hide_banner", "-v", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration=5",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=5",
            "-f", "lavfi", "-i", "sine=frequency=880:sample_rate=48000:duration=5",
            "-map", "0:v", "-map", "1:a", "-map", "2:a",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k",
            "-metadata:s:a:0", "language=eng", "-metadata:s:a:0", "title=English",
            "-metadata:s:a:1", "language=fra", "-metadata:s:a:1", "title=Français",
            path,
        ]);
        return path;
    }
}

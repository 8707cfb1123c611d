using System.Globalization;
using StreamForge.Media.Tests.Support;

namespace StreamForge.Media.Tests;

public sealed class HlsWriterTests
{
    private static Manifest Build(bool audio = true)
    {
        var (ladder, rungs) = TestData.Ladder1080(audio);
        return ManifestBuilder.Build("vid-1", TestData.Ffmpeg1080Mpd(), ladder, rungs, ManifestBuilder.Thumbnails(new MediaToolsOptions(), 1));
    }

    [Fact]
    public void Master_lists_one_variant_per_rung_with_the_audio_group()
    {
        var manifest = Build();
        var files = HlsWriter.Write(manifest, 30);
        Assert.Equal(
            ["audio/index.m3u8", "master.m3u8", "video/1080p/index.m3u8", "video/360p/index.m3u8", "video/480p/index.m3u8", "video/720p/index.m3u8"],
            files.Keys.Order(StringComparer.Ordinal));
        var master = files["master.m3u8"].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("#EXTM3U", master[0]);
        Assert.Contains("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",NAME=\"Track 1\",LANGUAGE=\"und\",DEFAULT=YES,AUTOSELECT=YES,CHANNELS=\"2\",URI=\"audio/index.m3u8\"", master);
        var variants = master.Where(l => l.StartsWith("#EXT-X-STREAM-INF:", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, variants.Count);
        Assert.Equal(
            "#EXT-X-STREAM-INF:BANDWIDTH=2928000,RESOLUTION=1280x720,CODECS=\"avc1.64001f,mp4a.40.2\",FRAME-RATE=30.000,AUDIO=\"audio\"",
            variants[2]);
        // Each variant line is followed by its playlist URI.
        for (var i = 0; i < master.Length; i++)
            if (master[i].StartsWith("#EXT-X-STREAM-INF:", StringComparison.Ordinal))
                Assert.Matches(@"^video/\d+p/index\.m3u8$", master[i + 1]);
    }

    [Fact]
    public void Media_playlists_reuse_the_dash_segments_and_end()
    {
        var manifest = Build();
        var files = HlsWriter.Write(manifest, 30);
        var v720 = manifest.Video.Single(v => v.Id == "720p");
        var lines = files["video/720p/index.m3u8"].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["#EXTM3U", "#EXT-X-VERSION:7"], lines[..2]);
        Assert.Contains("#EXT-X-PLAYLIST-TYPE:VOD", lines);
        Assert.Contains("#EXT-X-MAP:URI=\"init.mp4\"", lines);
        Assert.Equal("#EXT-X-ENDLIST", lines[^1]);
        Assert.Equal(v720.Segments.Select(s => Path.GetFileName(s.Url)), lines.Where(l => l.EndsWith(".m4s", StringComparison.Ordinal)));

        // Every EXTINF rounds to at most the target duration, and the durations add up to the rung's length.
        var target = int.Parse(lines.Single(l => l.StartsWith("#EXT-X-TARGETDURATION:", StringComparison.Ordinal)).Split(':')[1], CultureInfo.InvariantCulture);
        var durations = lines.Where(l => l.StartsWith("#EXTINF:", StringComparison.Ordinal))
            .Select(l => double.Parse(l["#EXTINF:".Length..].TrimEnd(','), CultureInfo.InvariantCulture)).ToList();
        Assert.All(durations, d => Assert.True(Math.Round(d, MidpointRounding.AwayFromZero) <= target, $"{d} > {target}"));
        Assert.Equal(v720.Segments.Sum(s => s.Duration), durations.Sum(), 3);

        var audio = files["audio/index.m3u8"];
        Assert.Contains("#EXT-X-MAP:URI=\"init.mp4\"", audio);
        Assert.Equal(manifest.Audio!.Segments.Count, audio.Split('\n').Count(l => l.EndsWith(".m4s", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_silent_video_has_no_audio_group()
    {
        var master = HlsWriter.Write(Build(audio: false), 25)["master.m3u8"];
        Assert.DoesNotContain("EXT-X-MEDIA", master);
        Assert.DoesNotContain("AUDIO=", master);
        Assert.Contains("CODECS=\"avc1.4d401e\",FRAME-RATE=25.000\n", master);
    }

    [Fact]
    public void Playlists_are_served_as_short_lived_hls()
    {
        Assert.Equal("application/vnd.apple.mpegurl", MediaContentTypes.Of("video/720p/index.m3u8"));
        Assert.Equal(CachePolicy.Short, CachePolicies.Of("master.m3u8"));
        Assert.Equal(CachePolicy.Short, CachePolicies.Of("audio/index.m3u8"));
    }

    /// <summary>The 12 s manifest while it grows: the first two segments of every track published.</summary>
    private static Manifest Growing(Manifest full) => full.WithAudioTracks([full.AudioTracks![0] with { Segments = full.AudioTracks[0].Segments.Take(2).ToList() }]) with
    {
        Video = full.Video.Select(v => v with { Segments = v.Segments.Take(2).ToList() }).ToList(),
        Duration = 8.0,
        Complete = false,
        ExpectedDuration = 12.005,
        SegmentCount = 2,
        GrowingSince = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void A_growing_manifest_gives_event_playlists_without_an_end()
    {
        var files = HlsWriter.Write(Growing(Build()), 30);
        foreach (var key in new[] { "video/360p/index.m3u8", "video/1080p/index.m3u8", "audio/index.m3u8" })
        {
            var lines = files[key].Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains("#EXT-X-PLAYLIST-TYPE:EVENT", lines);
            Assert.DoesNotContain("#EXT-X-PLAYLIST-TYPE:VOD", lines);
            Assert.DoesNotContain("#EXT-X-ENDLIST", lines);
            Assert.Contains("#EXT-X-START:TIME-OFFSET=0", lines);
            Assert.Equal(["seg_00001.m4s", "seg_00002.m4s"], lines.Where(l => l.EndsWith(".m4s", StringComparison.Ordinal)));
            Assert.EndsWith(".m4s", lines[^1]);
        }
    }

    [Fact]
    public void The_master_is_the_same_growing_or_complete_and_only_complete_playlists_end()
    {
        var full = Build();
        var growing = HlsWriter.Write(Growing(full), 30);
        var complete = HlsWriter.Write(full, 30);
        Assert.Equal(complete[HlsWriter.MasterKey], growing[HlsWriter.MasterKey]);
        Assert.Equal(complete.Keys.Order(StringComparer.Ordinal), growing.Keys.Order(StringComparer.Ordinal));
        Assert.All(complete.Where(f => f.Key != HlsWriter.MasterKey), f =>
        {
            Assert.EndsWith("#EXT-X-ENDLIST\n", f.Value);
            Assert.DoesNotContain("EXT-X-START", f.Value);
        });
    }

    [Fact]
    public void A_caption_playlist_of_a_growing_video_spans_the_expected_length()
    {
        var caption = new CaptionTrack("en", "English", CaptionPaths.VttKey("en"));
        var growing = Growing(Build()) with { Captions = [caption] };
        var playlist = HlsWriter.Write(growing, 30)[CaptionPaths.PlaylistKey("en")];
        Assert.Contains("#EXTINF:12.005,", playlist);
        Assert.Contains("#EXT-X-PLAYLIST-TYPE:VOD", playlist);
        Assert.EndsWith("#EXT-X-ENDLIST\n", playlist);
    }

    [Fact]
    public void A_final_audio_sliver_shorter_than_the_aac_priming_is_left_out_of_hls_only()
    {
        var full = Build();
        var audio = full.Audio!;
        var last = audio.Segments[^1];
        // ffmpeg cut a 5 ms final audio segment: hls.js, which ignores the 21 ms priming edit list, would see it past
        // the buffered audio, call it a gap and never end.
        var sliver = full.WithAudioTracks([full.AudioTracks![0] with { Segments = [.. audio.Segments.SkipLast(1), last with { Duration = 0.005229 }] }]);

        var playlist = HlsWriter.Write(sliver, 30)["audio/index.m3u8"];
        var listed = playlist.Split('\n').Where(l => l.EndsWith(".m4s", StringComparison.Ordinal)).ToList();
        Assert.Equal(audio.Segments.SkipLast(1).Select(s => Path.GetFileName(s.Url)), listed);
        Assert.EndsWith("#EXT-X-ENDLIST\n", playlist);
        Assert.Equal(audio.Segments.Count, DashMpdReader.Parse(MpdWriter.Write(sliver))["audio"].Segments.Count);

        // A real tail (the golden clip's 58 ms) stays, and so does everything while the version grows.
        Assert.Equal(audio.Segments.Count, HlsWriter.Write(full, 30)["audio/index.m3u8"].Split('\n').Count(l => l.EndsWith(".m4s", StringComparison.Ordinal)));
        var growing = sliver with { Complete = false, ExpectedDuration = 13, GrowingSince = DateTimeOffset.UnixEpoch };
        Assert.Equal(audio.Segments.Count, HlsWriter.Write(growing, 30)["audio/index.m3u8"].Split('\n').Count(l => l.EndsWith(".m4s", StringComparison.Ordinal)));
    }
}

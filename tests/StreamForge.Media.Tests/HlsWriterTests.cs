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
        Assert.Contains("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",NAME=\"default\",DEFAULT=YES,AUTOSELECT=YES,CHANNELS=\"2\",URI=\"audio/index.m3u8\"", master);
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
}

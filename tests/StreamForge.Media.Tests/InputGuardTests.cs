using StreamForge.Media.Tests.Support;

namespace StreamForge.Media.Tests;

/// <summary>The sniffer's classes, the limits' messages, and the allowlist enforced by the real ffprobe and ffmpeg.</summary>
public class InputGuardTests
{
    [Theory]
    [InlineData("#EXTM3U\n#EXTINF:1,\n/etc/passwd\n", "an HLS playlist")]
    [InlineData("\uFEFF#EXTM3U\n", "an HLS playlist")]
    [InlineData("<?xml version=\"1.0\"?>\n<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\">", "a DASH manifest")]
    [InlineData("ffconcat version 1.0\nfile '/etc/passwd'\n", "a concat list")]
    [InlineData("file '/etc/passwd'\n", "a concat list")]
    [InlineData(";FFMETADATA1\ntitle=x\n", "an ffmetadata file")]
    [InlineData("v=0\no=- 0 0 IN IP4 127.0.0.1\nm=video 5004 RTP/AVP 96\n", "an SDP session description")]
    [InlineData("WEBVTT\n\n00:00.000 --> 00:01.000\nhi\n", "a subtitle file")]
    [InlineData("1\n00:00:00,000 --> 00:00:01,000\nhi\n", "a subtitle file")]
    [InlineData("just some notes\n", "a text file")]
    public void Text_classes_are_named(string content, string expected) =>
        Assert.Equal(expected, SourceSniffer.Identify(System.Text.Encoding.UTF8.GetBytes(content)));

    [Fact]
    public void Images_are_named_and_containers_pass()
    {
        Assert.Equal("a PNG image", SourceSniffer.Identify([0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10]));
        Assert.Equal("a JPEG image", SourceSniffer.Identify([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]));
        Assert.Equal("an empty file", SourceSniffer.Identify([]));
        Assert.Null(SourceSniffer.Identify([0, 0, 0, 0x20, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'i', (byte)'s', (byte)'o', (byte)'m']));
        Assert.Null(SourceSniffer.Identify([0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81]));
    }

    [Fact]
    public void Limits_refuse_with_the_figure_and_the_limit()
    {
        var limits = new MediaLimits();
        var longOne = TestData.Probe(640, 360, duration: 5 * 3600 + 33 * 60 + 7);
        Assert.Equal("The video is 5 h 33 min long; the limit is 4 h.", Assert.Throws<MediaException>(() => limits.Check(longOne)).Message);
        var wide = TestData.Probe(9000, 16);
        var ex = Assert.Throws<MediaException>(() => limits.Check(wide));
        Assert.True(ex.IsPermanent);
        Assert.Equal("The picture is 9000x16 pixels; the limit is 8192 pixels per side.", ex.Message);
        var fast = TestData.Probe(640, 360) with { Video = TestData.Probe(640, 360).Video with { FrameRate = 1000 } };
        Assert.Equal("The video runs at 1000 frames per second; the limit is 120.", Assert.Throws<MediaException>(() => limits.Check(fast)).Message);
        var many = TestData.Probe(640, 360) with { StreamCount = 9 };
        Assert.Equal("The file has 9 streams; the limit is 8.", Assert.Throws<MediaException>(() => limits.Check(many)).Message);
        var dense = TestData.Probe(640, 360) with { BitRate = 900_000_000 };
        Assert.Contains("900 Mbit/s; the limit is 400 Mbit/s", Assert.Throws<MediaException>(() => limits.Check(dense)).Message);
        limits.Check(TestData.Probe(1920, 1080, duration: 3600));
    }

    [Fact]
    public void The_work_budget_refuses_what_every_single_limit_admits()
    {
        var limits = new MediaLimits();
        // 8192x8192 at 120 fps for 4 h: each figure exactly at its own limit.
        var monster = TestData.Probe(8192, 8192, duration: 4 * 3600) with { Video = TestData.Probe(8192, 8192).Video with { FrameRate = 120 } };
        var ex = Assert.Throws<MediaException>(() => limits.Check(monster));
        Assert.True(ex.IsPermanent);
        Assert.Equal("This video needs 8.05 billion pixels per second (8192x8192 at 120 frames per second); the limit is 250 million. " +
            "Upload it at a lower resolution or frame rate.", ex.Message);

        // Within the rate, over the total: 1080p30 (62.2 million a second) for 4 h is 896 billion.
        var long1080 = TestData.Probe(1920, 1080, duration: 4 * 3600);
        Assert.Equal("This video needs 896 billion pixels in all (1920x1080 at 30 frames per second for 4 h); the limit is 250 billion. " +
            "Upload a shorter or smaller video.", Assert.Throws<MediaException>(() => limits.Check(long1080)).Message);

        // Both are settings; an operator with faster workers raises them.
        new MediaLimits { MaxPixelsPerSecond = 10_000_000_000, MaxTotalPixels = 200_000_000_000_000 }.Check(monster);
        limits.Check(TestData.Probe(3840, 2160, duration: 600));
    }

    [Fact]
    public void Ffmpeg_opens_the_source_through_the_allowlist_with_a_read_cap()
    {
        using var dir = new TempDir();
        var builder = new FfmpegCommandBuilder(new MediaToolsOptions());
        var rungs = LadderPlanner.Plan(TestData.Probe(640, 360).Video, null);
        var line = FfmpegCommandBuilder.ToCommandLine("ffmpeg", builder.BuildLadder("/w/source", TestData.Probe(640, 360, duration: 6), rungs, new OutputLayout(dir.Path)).Arguments);
        Assert.Contains("-protocol_whitelist file -format_whitelist mov,matroska,avi,mpegts,flv,ogg,mpeg,asf -enable_drefs 0 -use_absolute_path 0 -t 14400 -i /w/source ", line);

        var mkv = TestData.Probe(640, 360) with { FormatName = "matroska,webm" };
        var mkvLine = FfmpegCommandBuilder.ToCommandLine("ffmpeg", builder.BuildLadder("/w/source", mkv, rungs, new OutputLayout(dir.Path)).Arguments);
        Assert.DoesNotContain("enable_drefs", mkvLine);
    }

    /// <summary>The allowlist itself, with the sniffer out of the way: a playlist behind an MP4 box header.</summary>
    [Fact]
    public async Task Ffprobe_and_ffmpeg_refuse_a_playlist_the_sniffer_does_not_see()
    {
        using var dir = new TempDir();
        var target = dir.File("target.mp4");
        await Tools.GenerateClipAsync(target, 64, 48, 1, audio: false);
        var playlist = dir.File("source");
        await File.WriteAllTextAsync(playlist, $"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n{target}\n#EXT-X-ENDLIST\n");
        var runner = new ProcessRunner();

        var open = await runner.RunAsync("ffprobe", ["-v", "error", "-show_format", playlist]);
        Assert.Equal(0, open.ExitCode); // without the guard the playlist is followed to the other file

        var probe = await runner.RunAsync("ffprobe", ["-v", "error", .. InputGuard.ProbeInputOptions, "-show_format", playlist]);
        Assert.NotEqual(0, probe.ExitCode);
        var ffmpeg = await runner.RunAsync("ffmpeg", ["-v", "error", .. InputGuard.TranscodeInputOptions("hls"), "-i", playlist, "-f", "null", "-"]);
        Assert.NotEqual(0, ffmpeg.ExitCode);

        var processor = new MediaProcessor(new MediaToolsOptions { Preset = "ultrafast" });
        var ex = await Assert.ThrowsAsync<MediaException>(() => processor.ProcessAsync(playlist, dir.Path, "v", null));
        Assert.True(ex.IsPermanent);
        Assert.Contains("it looks like an HLS playlist", ex.Message);
    }
}

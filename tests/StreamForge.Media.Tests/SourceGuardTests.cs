using System.Text;

namespace StreamForge.Media.Tests;

public sealed class SourceGuardTests
{
    [Theory]
    [InlineData("#EXTM3U\n#EXTINF:1,\n/etc/passwd\n", "an HLS playlist")]
    [InlineData("\n\n  #EXT-X-STREAM-INF:BANDWIDTH=1\nhttp://x/y.m3u8", "an HLS playlist")]
    [InlineData("ffconcat version 1.0\nfile a.mp4\n", "a concat list")]
    [InlineData("# list\nfile '/etc/passwd'\n", "a concat list")]
    [InlineData("<?xml version=\"1.0\"?><MPD/>", "a DASH manifest")]
    [InlineData("<html></html>", "an XML or HTML document")]
    [InlineData(";FFMETADATA1\n", "an ffmpeg metadata file")]
    [InlineData("WEBVTT\n", "a WebVTT subtitle file")]
    [InlineData("v=0\no=- 0 0 IN IP4 127.0.0.1\n", "an SDP session description")]
    [InlineData("1\n00:00:01,000 --> 00:00:02,000\nhi\n", "an SRT subtitle file")]
    [InlineData("holiday notes\n", "a text file")]
    public void Text_formats_are_named(string text, string expected) =>
        Assert.Equal(expected, SourceGuard.DescribeText(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void Binary_data_is_left_to_the_demuxers()
    {
        Assert.Null(SourceGuard.DescribeText(new byte[] { 0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p' }));
        Assert.Null(SourceGuard.DescribeText(new byte[] { 0x1A, 0x45, 0xDF, 0xA3 })); // EBML (Matroska)
    }

    [Fact]
    public void Both_tools_open_the_source_through_the_allowlists()
    {
        var args = string.Join(' ', SourceGuard.InputArguments());
        Assert.Equal("-protocol_whitelist file -format_whitelist mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,mpegts,mpeg,flv,ogg,asf", args);
        Assert.DoesNotContain("hls", SourceGuard.DemuxerAllowlist);
        Assert.DoesNotContain("concat", SourceGuard.DemuxerAllowlist);
        Assert.DoesNotContain("image2", SourceGuard.DemuxerAllowlist);
    }

    [Fact]
    public void An_empty_file_is_refused_permanently()
    {
        var path = Path.GetTempFileName();
        try
        {
            var ex = Assert.Throws<MediaException>(() => SourceGuard.Inspect(path));
            Assert.True(ex.IsPermanent);
            Assert.Contains("empty", ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

public sealed class LimitCheckTests
{
    private static ProbeResult Probe(double duration = 10, int width = 1920, int height = 1080, double fps = 30, int streams = 2, long? bitRate = 5_000_000) =>
        new("mov", duration, 1000, bitRate, new VideoStreamInfo(0, "h264", "High", "yuv420p", width, height, 0, width, height, fps, 8), null, streams);

    [Fact]
    public void An_ordinary_video_fits() => Assert.Null(LimitCheck.Violation(Probe(), new MediaLimits()));

    [Theory]
    [InlineData(20000, 1920, 1080, 30, 2, 5_000_000, "The video is 5 h 33 min long; the limit is 4 h.")]
    [InlineData(10, 9000, 16, 30, 1, 5_000_000, "The picture is 9000×16; the limit is 8192 pixels per side.")]
    [InlineData(10, 1920, 1080, 240, 1, 5_000_000, "The video has 240 frames per second; the limit is 120.")]
    [InlineData(10, 1920, 1080, 30, 9, 5_000_000, "The file has 9 streams; the limit is 8.")]
    [InlineData(10, 1920, 1080, 30, 2, 900_000_000, "The file's bit rate is 900 Mbit/s; the limit is 200 Mbit/s.")]
    public void Each_limit_names_the_figure_and_the_limit(double duration, int width, int height, double fps, int streams, long bitRate, string expected) =>
        Assert.Equal(expected, LimitCheck.Violation(Probe(duration, width, height, fps, streams, bitRate), new MediaLimits()));

    [Fact]
    public void Limits_are_permanent_failures()
    {
        var ex = Assert.Throws<MediaException>(() => LimitCheck.Enforce(Probe(fps: 1000), new MediaLimits()));
        Assert.True(ex.IsPermanent);
    }
}

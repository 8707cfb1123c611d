using StreamForge.Media.Tests.Support;

namespace StreamForge.Media.Tests;

public class ProbeParserTests
{
    [Fact]
    public void Parses_a_real_ffprobe_report()
    {
        var probe = ProbeParser.Parse(TestData.Read("probe-1080p-audio.json"));

        Assert.Equal("mov,mp4,m4a,3gp,3g2,mj2", probe.FormatName);
        Assert.Equal(6.0, probe.DurationSeconds);
        Assert.Equal(11_691_107, probe.SizeBytes);
        Assert.Equal(15_588_142, probe.BitRate);

        var v = probe.Video;
        Assert.Equal((0, "h264", "Constrained Baseline", "yuv420p"), (v.StreamIndex, v.Codec, v.Profile, v.PixelFormat));
        Assert.Equal((1920, 1080, 0, 1920, 1080), (v.Width, v.Height, v.Rotation, v.DisplayWidth, v.DisplayHeight));
        Assert.Equal(30.0, v.FrameRate);
        Assert.Equal(8, v.BitDepth);

        Assert.True(probe.HasAudio);
        Assert.Equal(new AudioStreamInfo(1, "aac", 1, 44100, Language: "und"), probe.Audio);
    }

    [Fact]
    public void Display_matrix_rotation_swaps_the_display_size()
    {
        var probe = ProbeParser.Parse(TestData.Read("probe-rotated-displaymatrix.json"));
        Assert.Equal(90, probe.Video.Rotation);
        Assert.Equal((1080, 1920), (probe.Video.DisplayWidth, probe.Video.DisplayHeight));
    }

    [Theory]
    [InlineData("""{"side_data_list":[{"side_data_type":"Display Matrix","rotation":-90}]}""", 270)]
    [InlineData("""{"side_data_list":[{"side_data_type":"Display Matrix","rotation":180}]}""", 180)]
    [InlineData("""{"tags":{"rotate":"90"}}""", 90)]
    [InlineData("""{"tags":{"rotate":"-270"}}""", 90)]
    [InlineData("""{"side_data_list":[{"rotation":-90}],"tags":{"rotate":"180"}}""", 270)]
    [InlineData("""{}""", 0)]
    public void Rotation_comes_from_side_data_then_tags(string stream, int expected)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(stream);
        Assert.Equal(expected, ProbeParser.ParseRotation(doc.RootElement));
    }

    [Fact]
    public void Legacy_rotate_tag_gives_a_portrait_display_size()
    {
        var probe = ProbeParser.Parse(Json(video: """{"index":0,"codec_type":"video","codec_name":"h264","width":1280,"height":720,"tags":{"rotate":"270"}}"""));
        Assert.Equal((720, 1280, 270), (probe.Video.DisplayWidth, probe.Video.DisplayHeight, probe.Video.Rotation));
    }

    [Fact]
    public void Anamorphic_pixels_are_applied_to_the_display_width()
    {
        var probe = ProbeParser.Parse(Json(video: """{"index":0,"codec_type":"video","codec_name":"mpeg2video","width":720,"height":480,"sample_aspect_ratio":"32:27"}"""));
        Assert.Equal((853, 480), (probe.Video.DisplayWidth, probe.Video.DisplayHeight));
    }

    [Theory]
    [InlineData("30000/1001", "0/0", 29.97)]
    [InlineData("0/0", "25/1", 25.0)]
    [InlineData("24/1", "24/1", 24.0)]
    public void Frame_rate_prefers_the_average_then_the_real_base(string avg, string real, double expected)
    {
        var probe = ProbeParser.Parse(Json(video: $$"""{"index":0,"codec_type":"video","codec_name":"h264","width":64,"height":64,"avg_frame_rate":"{{avg}}","r_frame_rate":"{{real}}"}"""));
        Assert.Equal(expected, probe.Video.FrameRate, 2);
    }

    [Fact]
    public void Ten_bit_depth_from_the_pixel_format_when_raw_sample_bits_are_missing()
    {
        var probe = ProbeParser.Parse(Json(video: """{"index":0,"codec_type":"video","codec_name":"hevc","width":3840,"height":2160,"pix_fmt":"yuv420p10le"}"""));
        Assert.Equal(10, probe.Video.BitDepth);
    }

    [Fact]
    public void Cover_art_is_not_a_video_stream()
    {
        var ex = Assert.Throws<MediaException>(() => ProbeParser.Parse(Json(
            video: """{"index":1,"codec_type":"video","codec_name":"mjpeg","width":500,"height":500,"disposition":{"attached_pic":1}}""",
            audio: """{"index":0,"codec_type":"audio","codec_name":"mp3","channels":2,"sample_rate":"44100"}""")));
        Assert.True(ex.IsPermanent);
        Assert.Contains("no video stream", ex.Message);
    }

    [Fact]
    public void No_audio_stream_means_no_audio()
    {
        Assert.False(ProbeParser.Parse(Json()).HasAudio);
    }

    [Theory]
    [InlineData("""{"filename":"x","format_name":"mp4"}""")]
    [InlineData("""{"format_name":"mp4","duration":"0.000000"}""")]
    [InlineData("""{"format_name":"mp4","duration":"N/A"}""")]
    public void Missing_or_zero_duration_is_permanent(string format)
    {
        var ex = Assert.Throws<MediaException>(() => ProbeParser.Parse(Json(format: format)));
        Assert.True(ex.IsPermanent);
        Assert.Contains("duration", ex.Message);
    }

    [Fact]
    public void Zero_dimensions_are_permanent()
    {
        var ex = Assert.Throws<MediaException>(() => ProbeParser.Parse(Json(video: """{"index":0,"codec_type":"video","codec_name":"h264","width":0,"height":0}""")));
        Assert.True(ex.IsPermanent);
        Assert.Contains("0x0", ex.Message);
    }

    [Theory]
    [InlineData("""{"streams":[],"format":{"duration":"5"}}""")]
    [InlineData("""{}""")]
    [InlineData("""not json""")]
    public void Nothing_usable_is_permanent(string json)
    {
        Assert.True(Assert.Throws<MediaException>(() => ProbeParser.Parse(json)).IsPermanent);
    }

    private static string Json(
        string video = """{"index":0,"codec_type":"video","codec_name":"h264","width":1280,"height":720}""",
        string? audio = null,
        string format = """{"format_name":"mp4","duration":"5.0","size":"1000"}""") =>
        $$"""{"streams":[{{video}}{{(audio is null ? "" : "," + audio)}}],"format":{{format}}}""";
}

using StreamForge.Media.Tests.Support;

namespace StreamForge.Media.Tests;

public class FfmpegCommandBuilderTests
{
    private static readonly FfmpegCommandBuilder Builder = new(new MediaToolsOptions());

    private static readonly OutputLayout Work = new("/work");

    private static string Line(IReadOnlyList<string> args) => FfmpegCommandBuilder.ToCommandLine("ffmpeg", args);

    [Fact]
    public void One_process_writes_every_rung_the_sprites_and_the_poster_for_a_1080p_source_with_audio()
    {
        var probe = TestData.Probe(1920, 1080);
        var ladder = Builder.BuildLadder("/src/in.mp4", probe, LadderPlanner.Plan(probe.Video, null), Work);

        Assert.Equal(
            "ffmpeg -hide_banner -nostdin -y -v error -protocol_whitelist file -format_whitelist mov,matroska,avi,mpegts,flv,ogg,mpeg,asf " +
            "-enable_drefs 0 -use_absolute_path 0 -t 14400 -i /src/in.mp4 " +
            "-filter_complex '[0:0]split=3[ladder][thumbs_in][poster_in];" +
            "[ladder]scale=1920:1080:flags=bicubic,setsar=1,format=yuv420p,split=2[v3][from3];" +
            "[from3]scale=1280:720:flags=bicubic,setsar=1,format=yuv420p,split=2[v2][from2];" +
            "[from2]scale=854:480:flags=bicubic,setsar=1,format=yuv420p,split=2[v1][from1];" +
            "[from1]scale=640:360:flags=bicubic,setsar=1,format=yuv420p[v0];" +
            "[thumbs_in]select=gte(t\\,4*selected_n),scale=160:90:flags=bicubic,pad=160:90:0:0:color=black,setsar=1,tile=10x10[thumbs];" +
            "[poster_in]select=isnan(prev_selected_t)*gte(t\\,1.2),scale=640:360:flags=bicubic,setsar=1[poster]' " +
            "-map '[v0]' -c:v:0 libx264 -profile:v:0 main -b:v:0 800000 -maxrate:v:0 856000 -bufsize:v:0 1200000 " +
            "-map '[v1]' -c:v:1 libx264 -profile:v:1 main -b:v:1 1400000 -maxrate:v:1 1498000 -bufsize:v:1 2100000 " +
            "-map '[v2]' -c:v:2 libx264 -profile:v:2 high -b:v:2 2800000 -maxrate:v:2 2996000 -bufsize:v:2 4200000 " +
            "-map '[v3]' -c:v:3 libx264 -profile:v:3 high -b:v:3 5000000 -maxrate:v:3 5350000 -bufsize:v:3 7500000 " +
            "-preset veryfast -force_key_frames 'expr:gte(t,n_forced*4)' -sc_threshold 0 -pix_fmt yuv420p " +
            "-map 0:1 -c:a aac -ac 2 -b:a 128000 -ar 48000 " +
            "-f dash -dash_segment_type mp4 -format_options movflags=+negative_cts_offsets -seg_duration 4 -use_template 1 -use_timeline 1 " +
            "-init_seg_name 'init-$RepresentationID$.m4s' -media_seg_name 'seg-$RepresentationID$-$Number%05d$.m4s' " +
            "-adaptation_sets 'id=0,streams=0 id=1,streams=1 id=2,streams=2 id=3,streams=3 id=4,streams=4' " +
            "-progress pipe:1 -nostats /work/dash/manifest.mpd " +
            "-map '[thumbs]' -fps_mode passthrough -q:v 4 /work/thumbs/sprite_%03d.jpg " +
            "-map '[poster]' -fps_mode passthrough -q:v 3 -update 1 /work/poster.jpg",
            Line(ladder.Arguments));

        Assert.Equal("/work/dash/manifest.mpd", ladder.ManifestPath);
        Assert.Equal(["0", "1", "2", "3"], ladder.VideoRepresentationIds);
        Assert.Equal("4", ladder.AudioRepresentationId);
    }

    [Fact]
    public void Without_audio_there_is_no_audio_map_and_no_audio_set()
    {
        var probe = TestData.Probe(640, 360, audio: false);
        var ladder = Builder.BuildLadder("/src/in.mp4", probe, LadderPlanner.Plan(probe.Video, null), Work);
        var line = Line(ladder.Arguments);

        Assert.Contains(";[ladder]scale=640:360:flags=bicubic,setsar=1,format=yuv420p[v0];", line);
        Assert.DoesNotContain("-c:a", line);
        Assert.DoesNotContain("streams=a", line);
        Assert.Contains("-adaptation_sets id=0,streams=0 ", line);
        Assert.Null(ladder.AudioRepresentationId);
    }

    [Fact]
    public void Options_drive_preset_segment_length_threads_and_audio_bitrate()
    {
        var builder = new FfmpegCommandBuilder(new MediaToolsOptions { Preset = "ultrafast", SegmentSeconds = 2, Threads = 2, AudioBitrate = 96000 });
        var probe = TestData.Probe(1280, 720);
        var line = Line(builder.BuildLadder("/src/in.mp4", probe, LadderPlanner.Plan(probe.Video, 480), Work).Arguments);

        Assert.Contains("-preset ultrafast -force_key_frames 'expr:gte(t,n_forced*2)'", line);
        Assert.Contains("-seg_duration 2 ", line);
        Assert.Contains("-b:a 96000", line);
        Assert.Contains("-threads 2 -f dash", line);
        Assert.DoesNotContain("[v2]", line);
    }

    [Fact]
    public void Maps_the_probed_video_stream_not_the_first_one()
    {
        var probe = TestData.Probe(1280, 720) with { Video = TestData.Probe(1280, 720).Video with { StreamIndex = 2 } };
        Assert.Contains("'[0:2]split=3", Line(Builder.BuildLadder("/s.mkv", probe, LadderPlanner.Plan(probe.Video, null), Work).Arguments));
    }

    [Fact]
    public void Sprite_tiles_are_fitted_with_black_bars_and_the_poster_keeps_the_aspect()
    {
        var portrait = Line(Builder.BuildLadder("/src/in.mp4", TestData.Probe(1080, 1920), LadderPlanner.Plan(1080, 1920, null), Work).Arguments);
        Assert.Contains("scale=50:90:flags=bicubic,pad=160:90:55:0:color=black", portrait);
        Assert.Contains("[poster_in]select=isnan(prev_selected_t)*gte(t\\,1.2),scale=640:1138:", portrait);

        Assert.Equal((640, 1138), Builder.PosterSize(TestData.Probe(1080, 1920).Video));
        Assert.Equal((320, 240), Builder.PosterSize(TestData.Probe(320, 240).Video));
    }

    [Fact]
    public void Portrait_rungs_cascade_from_the_largest_picture()
    {
        var line = Line(Builder.BuildLadder("/src/in.mp4", TestData.Probe(1080, 1920), LadderPlanner.Plan(1080, 1920, 720), Work).Arguments);
        Assert.Contains(
            "[ladder]scale=720:1280:flags=bicubic,setsar=1,format=yuv420p,split=2[v2][from2];" +
            "[from2]scale=480:854:flags=bicubic,setsar=1,format=yuv420p,split=2[v1][from1];" +
            "[from1]scale=360:640:flags=bicubic,setsar=1,format=yuv420p[v0];",
            line);
    }

    [Theory]
    [InlineData(1920, 1080, 160, 90)]
    [InlineData(1080, 1920, 50, 90)]
    [InlineData(640, 480, 120, 90)]
    [InlineData(853, 481, 160, 90)]
    [InlineData(4000, 1000, 160, 40)]
    public void Thumbnail_size_fits_the_tile_box(int w, int h, int tw, int th)
    {
        Assert.Equal((tw, th), Builder.ThumbnailSize(TestData.Probe(w, h).Video));
    }

    [Fact]
    public void Command_line_quotes_what_a_shell_would_need()
    {
        Assert.Equal("ffmpeg -i '/a b/c.mp4' -vf 'x;y' 'it'\\''s'", FfmpegCommandBuilder.ToCommandLine("ffmpeg", ["-i", "/a b/c.mp4", "-vf", "x;y", "it's"]));
    }
}

namespace StreamForge.Media.Tests;

public class ThumbnailVttTests
{
    private static ThumbnailSet Sheets(int count) =>
        ManifestBuilder.Thumbnails(new MediaToolsOptions(), count);

    [Fact]
    public void One_cue_per_tile_the_last_ending_at_the_duration()
    {
        var vtt = ThumbnailVtt.Build(Sheets(1), tileCount: 3, duration: 10.5);
        Assert.Equal(
            "WEBVTT\n\n" +
            "00:00:00.000 --> 00:00:04.000\nsprite_001.jpg#xywh=0,0,160,90\n\n" +
            "00:00:04.000 --> 00:00:08.000\nsprite_001.jpg#xywh=160,0,160,90\n\n" +
            "00:00:08.000 --> 00:00:10.500\nsprite_001.jpg#xywh=320,0,160,90\n",
            vtt);
    }

    [Fact]
    public void Tiles_wrap_to_the_next_row_and_the_next_sprite()
    {
        var vtt = ThumbnailVtt.Build(Sheets(2), tileCount: 101, duration: 404);
        Assert.Contains("00:00:40.000 --> 00:00:44.000\nsprite_001.jpg#xywh=0,90,160,90\n", vtt);
        Assert.Contains("00:06:36.000 --> 00:06:40.000\nsprite_001.jpg#xywh=1440,810,160,90\n", vtt);
        Assert.EndsWith("00:06:40.000 --> 00:06:44.000\nsprite_002.jpg#xywh=0,0,160,90\n", vtt);
    }

    [Fact]
    public void A_last_cue_past_the_video_is_stretched_not_added()
    {
        // Video ends at 12.000 s (3 tiles), audio at 12.005 s: no 5 ms cue pointing at an empty tile.
        var vtt = ThumbnailVtt.Build(Sheets(1), ThumbnailVtt.TileCount(12.0, 4), duration: 12.005);
        Assert.EndsWith("00:00:08.000 --> 00:00:12.005\nsprite_001.jpg#xywh=320,0,160,90\n", vtt);
        Assert.Equal(3, vtt.Split("-->").Length - 1);
    }

    [Fact]
    public void Cues_never_point_past_the_sprites_that_exist()
    {
        var vtt = ThumbnailVtt.Build(Sheets(1), tileCount: 101, duration: 401);
        Assert.DoesNotContain("sprite_002", vtt);
        Assert.EndsWith("00:06:36.000 --> 00:06:41.000\nsprite_001.jpg#xywh=1440,810,160,90\n", vtt);
    }

    [Fact]
    public void Short_clip_gets_a_single_cue()
    {
        Assert.Equal("WEBVTT\n\n00:00:00.000 --> 00:00:01.250\nsprite_001.jpg#xywh=0,0,160,90\n", ThumbnailVtt.Build(Sheets(1), ThumbnailVtt.TileCount(1.25, 4), 1.25));
    }

    [Theory]
    [InlineData(1.0, 1)]
    [InlineData(4.0, 1)]
    [InlineData(4.02, 2)]
    [InlineData(6.0, 2)]
    [InlineData(8.0, 2)]
    [InlineData(8.02, 3)]
    [InlineData(9.97, 3)]
    public void Tile_count_matches_one_tile_per_started_interval(double videoDuration, int tiles)
    {
        // Checked against ffmpeg 5.1's select='gte(t,4*selected_n)' on 30 fps clips of these lengths.
        Assert.Equal(tiles, ThumbnailVtt.TileCount(videoDuration, 4));
    }

    [Fact]
    public void Timestamps_have_hours()
    {
        Assert.Equal("01:02:03.457", ThumbnailVtt.Timestamp(3723.4567));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(100, 1)]
    [InlineData(101, 2)]
    public void Sprite_count_rounds_up(int tiles, int sprites)
    {
        Assert.Equal(sprites, ThumbnailVtt.SpriteCount(tiles, 10, 10));
    }
}

namespace StreamForge.Media.Tests;

public class LadderPlannerTests
{
    private static string Sizes(IReadOnlyList<Rung> rungs) => string.Join(" ", rungs.Select(r => $"{r.Id}={r.Width}x{r.Height}"));

    [Fact]
    public void Full_hd_landscape_gets_all_four_rungs_low_to_high()
    {
        var rungs = LadderPlanner.Plan(1920, 1080, maxQuality: null);
        Assert.Equal("360p=640x360 480p=854x480 720p=1280x720 1080p=1920x1080", Sizes(rungs));
    }

    [Fact]
    public void Never_upscales_a_480p_source()
    {
        Assert.Equal("360p=640x360 480p=854x480", Sizes(LadderPlanner.Plan(854, 480, null)));
    }

    [Fact]
    public void Short_side_between_rungs_keeps_only_the_rungs_below_it()
    {
        Assert.Equal("360p=640x360 480p=854x480 720p=1280x720", Sizes(LadderPlanner.Plan(1600, 900, null)));
    }

    [Theory]
    [InlineData(360, "360p=640x360")]
    [InlineData(480, "360p=640x360 480p=854x480")]
    [InlineData(720, "360p=640x360 480p=854x480 720p=1280x720")]
    [InlineData(1080, "360p=640x360 480p=854x480 720p=1280x720 1080p=1920x1080")]
    public void Honours_the_max_quality(int maxQuality, string expected)
    {
        Assert.Equal(expected, Sizes(LadderPlanner.Plan(3840, 2160, maxQuality)));
    }

    [Fact]
    public void Max_quality_above_the_source_does_not_upscale()
    {
        Assert.Equal("360p=640x360 480p=854x480", Sizes(LadderPlanner.Plan(854, 480, 1080)));
    }

    [Theory]
    [InlineData(240)]
    [InlineData(0)]
    [InlineData(2160)]
    public void Rejects_a_max_quality_outside_the_ladder(int maxQuality)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LadderPlanner.Plan(1920, 1080, maxQuality));
    }

    [Fact]
    public void Portrait_stays_portrait()
    {
        var rungs = LadderPlanner.Plan(1080, 1920, null);
        Assert.Equal("360p=360x640 480p=480x854 720p=720x1280 1080p=1080x1920", Sizes(rungs));
        Assert.All(rungs, r => Assert.True(r.Width < r.Height));
    }

    [Fact]
    public void Odd_source_gets_even_dimensions_with_the_aspect_ratio_kept()
    {
        var rungs = LadderPlanner.Plan(853, 481, null);
        Assert.Equal("360p=638x360 480p=852x480", Sizes(rungs));
        Assert.All(rungs, r =>
        {
            Assert.Equal(0, r.Width % 2);
            Assert.Equal(0, r.Height % 2);
            Assert.InRange((double)r.Width / r.Height, 853.0 / 481 - 0.01, 853.0 / 481 + 0.01);
        });
    }

    [Fact]
    public void Source_below_360p_gets_one_rung_at_its_own_even_size()
    {
        var rungs = LadderPlanner.Plan(321, 241, null);
        var rung = Assert.Single(rungs);
        Assert.Equal("240p=320x240", Sizes(rungs));
        Assert.True(rung.VideoBitrate is >= 200_000 and < 800_000);
        Assert.Equal("main", rung.Profile);
    }

    [Fact]
    public void Tiny_portrait_source_stays_portrait()
    {
        Assert.Equal("176p=176x314", Sizes(LadderPlanner.Plan(176, 313, null)));
    }

    [Fact]
    public void Square_source_uses_the_same_size_for_both_sides()
    {
        Assert.Equal("360p=360x360 480p=480x480 720p=720x720", Sizes(LadderPlanner.Plan(720, 720, null)));
    }

    [Fact]
    public void Bitrates_grow_with_the_rung_and_maxrate_and_buffer_follow()
    {
        var rungs = LadderPlanner.Plan(1920, 1080, null);
        Assert.Equal([800_000L, 1_400_000L, 2_800_000L, 5_000_000L], rungs.Select(r => r.VideoBitrate));
        Assert.All(rungs, r =>
        {
            Assert.Equal((long)Math.Round(r.VideoBitrate * 1.07), r.MaxRate);
            Assert.Equal((long)Math.Round(r.VideoBitrate * 1.5), r.BufferSize);
        });
        Assert.Equal(["main", "main", "high", "high"], rungs.Select(r => r.Profile));
    }

    [Fact]
    public void Rung_ids_name_the_short_side()
    {
        Assert.Equal(["360p", "480p", "720p", "1080p"], LadderPlanner.Plan(1080, 1920, null).Select(r => r.Id));
    }

    [Fact]
    public void Plans_from_the_display_size_of_a_rotated_stream()
    {
        var video = new VideoStreamInfo(0, "h264", "High", "yuv420p", 1920, 1080, 90, 1080, 1920, 30, 8);
        Assert.All(LadderPlanner.Plan(video, null), r => Assert.True(r.Width < r.Height));
    }
}

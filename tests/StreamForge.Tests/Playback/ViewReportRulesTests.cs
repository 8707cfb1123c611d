using StreamForge.Api.Playback;

namespace StreamForge.Tests.Playback;

/// <summary>The ranges a view report may take (pure; the HTTP behaviour is in <see cref="ViewReportTests"/>).</summary>
public sealed class ViewReportRulesTests
{
    private static ViewReport Good(Guid? viewId = null) => new(viewId ?? Guid.NewGuid(), Guid.NewGuid(), 900, 30, 1, 2.5, 1, 1_000_000, 4, 0,
        new Dictionary<string, double> { ["720"] = 20, ["360"] = 10 });

    private static Dictionary<string, string[]> Check(params ViewReport[] views) => ViewReportRules.Validate(new ViewReportBatch(views));

    [Fact]
    public void A_real_view_passes() => Assert.Empty(Check(Good(), Good()));

    [Theory]
    [InlineData("startupMs")]
    [InlineData("watchSeconds")]
    [InlineData("rebufferSeconds")]
    [InlineData("rebufferCount")]
    [InlineData("bitrateSwitches")]
    [InlineData("avgBitrateBps")]
    [InlineData("droppedFrames")]
    [InlineData("fatalErrors")]
    public void A_negative_figure_is_refused_by_name(string field)
    {
        var v = Good();
        v = field switch
        {
            "startupMs" => v with { StartupMs = -1 },
            "watchSeconds" => v with { WatchSeconds = -1 },
            "rebufferSeconds" => v with { RebufferSeconds = -0.5 },
            "rebufferCount" => v with { RebufferCount = -1 },
            "bitrateSwitches" => v with { BitrateSwitches = -1 },
            "avgBitrateBps" => v with { AvgBitrateBps = -1 },
            "droppedFrames" => v with { DroppedFrames = -1 },
            _ => v with { FatalErrors = -1 },
        };
        Assert.Contains($"views[0].{field}", Check(v).Keys);
    }

    [Fact]
    public void Huge_or_non_finite_figures_and_odd_renditions_are_refused()
    {
        Assert.NotEmpty(Check(Good() with { WatchSeconds = ViewReportRules.MaxSeconds + 1 }));
        Assert.NotEmpty(Check(Good() with { RebufferSeconds = double.PositiveInfinity }));
        Assert.NotEmpty(Check(Good() with { StartupMs = ViewReportRules.MaxStartupMs + 1 }));
        Assert.NotEmpty(Check(Good() with { RenditionSeconds = new() { ["0720"] = 1 } }));
        Assert.NotEmpty(Check(Good() with { RenditionSeconds = new() { ["99999"] = 1 } }));
        Assert.NotEmpty(Check(Good() with { RenditionSeconds = new() { ["720"] = 100 } })); // more than watched
        Assert.NotEmpty(Check(Good() with { RenditionSeconds = Enumerable.Range(1, 17).ToDictionary(h => h.ToString(), _ => 0.1) }));
    }

    [Fact]
    public void The_batch_needs_one_to_ten_distinct_views_with_ids()
    {
        Assert.Contains("views", ViewReportRules.Validate(new ViewReportBatch([])).Keys);
        Assert.Contains("views", ViewReportRules.Validate(new ViewReportBatch(null)).Keys);
        Assert.Contains("views", ViewReportRules.Validate(null).Keys);
        Assert.Contains("views", Check([.. Enumerable.Range(0, 11).Select(_ => Good())]).Keys);
        var id = Guid.NewGuid();
        Assert.Contains("views", Check(Good(id), Good(id)).Keys);
        Assert.Contains("views[0].viewId", Check(Good(Guid.Empty)).Keys);
        Assert.Contains("views[0].videoId", Check(Good() with { VideoId = Guid.Empty }).Keys);
    }

    [Theory]
    [InlineData(null, 24)]
    [InlineData("24h", 24)]
    [InlineData("7d", 168)]
    public void Windows_are_24h_or_7d(string? window, int hours) => Assert.Equal(TimeSpan.FromHours(hours), ViewReportRules.Window(window));

    [Theory]
    [InlineData("1y")]
    [InlineData("24H")]
    [InlineData("-7d")]
    public void Other_windows_are_refused(string window) => Assert.Null(ViewReportRules.Window(window));
}

namespace StreamForge.Media.Tests;

public class ProgressParserTests
{
    [Fact]
    public void Out_time_us_over_duration_gives_the_fraction()
    {
        var parser = new ProgressParser(durationSeconds: 10);
        Assert.Null(parser.Consume("frame=12"));
        Assert.Equal(0.25, parser.Consume("out_time_us=2500000"));
        Assert.Equal(0.25, parser.Fraction);
    }

    [Fact]
    public void Out_time_ms_is_read_as_microseconds_like_ffmpeg_5_writes_it()
    {
        var parser = new ProgressParser(8);
        Assert.Equal(0.5, parser.Consume("out_time_ms=4000000"));
    }

    [Fact]
    public void A_repeated_or_lower_value_reports_nothing()
    {
        var parser = new ProgressParser(10);
        parser.Consume("out_time_us=5000000");
        Assert.Null(parser.Consume("out_time_ms=5000000"));
        Assert.Null(parser.Consume("out_time_us=4000000"));
        Assert.Equal(0.5, parser.Fraction);
    }

    [Fact]
    public void Progress_end_means_done()
    {
        var parser = new ProgressParser(10);
        parser.Consume("out_time_us=3000000");
        Assert.Null(parser.Consume("progress=continue"));
        Assert.Equal(1.0, parser.Consume("progress=end"));
        Assert.True(parser.IsEnd);
    }

    [Theory]
    [InlineData("out_time_us=N/A")]
    [InlineData("out_time_us=-9223372036854775807")]
    [InlineData("out_time=00:00:01.000000")]
    [InlineData("garbage")]
    [InlineData("")]
    public void Ignores_lines_without_a_usable_time(string line)
    {
        var parser = new ProgressParser(10);
        Assert.Null(parser.Consume(line));
        Assert.Equal(0, parser.Fraction);
    }

    [Fact]
    public void Clamps_past_the_probed_duration()
    {
        // ffmpeg reports out_time 6.016 s for a 6.000 s source (the last AAC frame).
        var parser = new ProgressParser(6);
        Assert.Equal(1.0, parser.Consume("out_time_us=6016000"));
    }

    [Fact]
    public void Unknown_duration_never_divides_by_zero()
    {
        var parser = new ProgressParser(0);
        Assert.Null(parser.Consume("out_time_us=1000000"));
        Assert.Equal(1.0, parser.Consume("progress=end"));
    }

    [Fact]
    public void Throttle_emits_at_most_once_per_interval()
    {
        var now = TimeSpan.Zero;
        var throttle = new ProgressThrottle(TimeSpan.FromSeconds(1), () => now);

        Assert.True(throttle.ShouldEmit(0.1));      // first one at once
        now = TimeSpan.FromMilliseconds(400);
        Assert.False(throttle.ShouldEmit(0.2));
        now = TimeSpan.FromMilliseconds(999);
        Assert.False(throttle.ShouldEmit(0.3));
        now = TimeSpan.FromMilliseconds(1000);
        Assert.True(throttle.ShouldEmit(0.4));
        now = TimeSpan.FromMilliseconds(1500);
        Assert.False(throttle.ShouldEmit(0.5));
        now = TimeSpan.FromMilliseconds(2100);
        Assert.True(throttle.ShouldEmit(0.6));
    }

    [Fact]
    public void Throttle_always_lets_the_final_value_through()
    {
        var now = TimeSpan.Zero;
        var throttle = new ProgressThrottle(TimeSpan.FromSeconds(1), () => now);
        Assert.True(throttle.ShouldEmit(0.5));
        now = TimeSpan.FromMilliseconds(10);
        Assert.True(throttle.ShouldEmit(1.0));
    }
}

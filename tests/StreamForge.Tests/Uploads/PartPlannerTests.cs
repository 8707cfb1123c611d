using StreamForge.Core.Uploads;

namespace StreamForge.Tests.Uploads;

public sealed class PartPlannerTests
{
    private const long Threshold = 100_000_000;
    private const long PartSize = 10_000_000;

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Refuses_sizes_that_are_not_positive(long size) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PartPlanner.Plan(size, Threshold, PartSize));

    [Theory]
    [InlineData(1)]
    [InlineData(Threshold)]
    public void Single_put_up_to_and_including_the_threshold(long size)
    {
        var plan = PartPlanner.Plan(size, Threshold, PartSize);
        Assert.Equal((StreamForge.Core.Data.UploadMode.Single, 1, size), (plan.Mode, plan.PartCount, plan.PartSize));
    }

    [Fact]
    public void One_byte_over_the_threshold_goes_multipart_with_a_one_byte_last_part()
    {
        var plan = PartPlanner.Plan(Threshold + 1, Threshold, PartSize);
        Assert.Equal((StreamForge.Core.Data.UploadMode.Multipart, 11, PartSize), (plan.Mode, plan.PartCount, plan.PartSize));
        Assert.Equal(1, plan.SizeOf(11, Threshold + 1));
        Assert.Equal(PartSize, plan.SizeOf(1, Threshold + 1));
    }

    [Fact]
    public void Exactly_ten_thousand_parts_keep_the_preferred_size()
    {
        var plan = PartPlanner.Plan(PartSize * 10_000, Threshold, PartSize);
        Assert.Equal((10_000, PartSize), (plan.PartCount, plan.PartSize));
    }

    [Fact]
    public void Larger_files_grow_the_part_size_to_stay_within_ten_thousand_parts()
    {
        const long size = 200_000_000_000; // 200 GB needs 20 MB parts at least
        var plan = PartPlanner.Plan(size, Threshold, PartSize);
        Assert.True(plan.PartSize > PartSize);
        Assert.True(plan.PartCount <= 10_000);
        Assert.True(plan.PartSize * plan.PartCount >= size);
        Assert.True(plan.PartSize * (plan.PartCount - 1) < size);
        Assert.Equal(0, plan.PartSize % (1024 * 1024));
    }

    [Fact]
    public void The_maximum_allowed_size_fits_s3_limits()
    {
        const long max = 50_000_000_000;
        var plan = PartPlanner.Plan(max, Threshold, PartSize);
        Assert.InRange(plan.PartCount, 1, 10_000);
        Assert.InRange(plan.PartSize, PartPlanner.MinPartSize, PartPlanner.MaxPartSize);
        Assert.Equal(max, plan.PartSize * (plan.PartCount - 1) + plan.SizeOf(plan.PartCount, max));
    }

    [Fact]
    public void Part_size_never_drops_below_five_mebibytes()
    {
        var plan = PartPlanner.Plan(50_000_000, 1_000_000, 1_000_000);
        Assert.Equal(PartPlanner.MinPartSize, plan.PartSize);
    }

    [Fact]
    public void Sizes_beyond_what_s3_can_hold_are_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PartPlanner.Plan(PartPlanner.MaxPartSize * 10_001, Threshold, PartSize));
}

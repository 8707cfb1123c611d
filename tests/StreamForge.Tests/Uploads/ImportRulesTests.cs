using StreamForge.Core.Imports;

namespace StreamForge.Tests.Uploads;

/// <summary>The pure rules of an import: which limit caps it, how progress and failures read, what is retried.</summary>
public sealed class ImportRulesTests
{
    [Theory]
    [InlineData(500_000_000L, 100_000_000L, 50_000_000_000L, 400_000_000L, true)]
    [InlineData(500_000_000L, 600_000_000L, 50_000_000_000L, 0L, true)]
    [InlineData(500_000_000L, 0L, 300_000_000L, 300_000_000L, false)]
    [InlineData(null, 9_000_000_000L, 50_000_000_000L, 50_000_000_000L, false)]
    public void The_cap_is_the_smaller_of_the_free_quota_and_the_global_limit(long? quota, long used, long max, long cap, bool byQuota)
    {
        var c = ImportRules.Cap(quota, used, max);
        Assert.Equal(cap, c.Bytes);
        Assert.Equal(byQuota, c.ByQuota);
    }

    [Fact]
    public void Too_large_names_the_limit_in_megabytes()
    {
        Assert.StartsWith("The file is larger than your remaining quota of 15 MB", new ImportCap(15_400_000, true).TooLargeMessage);
        Assert.StartsWith("The file is larger than the upload limit of 50,000 MB", new ImportCap(50_000_000_000, false).TooLargeMessage);
    }

    [Theory]
    [InlineData(0L, null, 0)]
    [InlineData(500L, 1000L, 50)]
    [InlineData(5000L, 1000L, 99)]
    [InlineData(1000L, 1000L, 99)]
    [InlineData(10L, 0L, 0)]
    public void Progress_uses_the_declared_length_for_display_only_and_never_says_done(long received, long? declared, int percent) =>
        Assert.Equal(percent, ImportRules.Progress(received, declared));

    [Theory]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(429, true)]
    [InlineData(408, true)]
    [InlineData(404, false)]
    [InlineData(403, false)]
    [InlineData(400, false)]
    public void Server_errors_are_retried_and_client_errors_are_not(int status, bool retry) =>
        Assert.Equal(retry, ImportRules.IsRetryable(status));

    [Fact]
    public void Backoff_doubles_from_the_first_delay()
    {
        var first = TimeSpan.FromSeconds(2);
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)], new[] { 2, 3, 4 }.Select(n => ImportRules.Backoff(n, first)));
    }

    [Fact]
    public void Durations_read_as_words()
    {
        Assert.Equal("30 minutes", ImportRules.Duration(TimeSpan.FromMinutes(30)));
        Assert.Equal("1 minute", ImportRules.Duration(TimeSpan.FromMinutes(1)));
        Assert.Equal("3 seconds", ImportRules.Duration(TimeSpan.FromSeconds(3)));
        Assert.Equal("90 seconds", ImportRules.Duration(TimeSpan.FromSeconds(90)));
        Assert.Equal("The server answered 404 Not Found; nothing was imported.", ImportRules.StatusFailure(404, "Not Found"));
    }
}

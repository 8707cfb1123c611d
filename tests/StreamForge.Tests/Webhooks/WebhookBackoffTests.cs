using StreamForge.Core.Webhooks;

namespace StreamForge.Tests.Webhooks;

public sealed class WebhookBackoffTests
{
    private static readonly WebhookOptions Options = new()
    {
        RetryBaseDelay = TimeSpan.FromSeconds(30), RetryMaxDelay = TimeSpan.FromHours(1), GiveUpAfter = TimeSpan.FromHours(24),
    };
    private static readonly DateTimeOffset Created = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, 120)]
    [InlineData(7, 1920)]
    [InlineData(8, 3600)]
    [InlineData(200, 3600)]
    public void The_delay_doubles_from_the_base_up_to_the_cap(int attempts, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), WebhookBackoff.Delay(attempts, Options.RetryBaseDelay, Options.RetryMaxDelay));

    [Fact]
    public void Retries_run_to_the_give_up_deadline_then_stop()
    {
        Assert.Equal(Created.AddSeconds(40), WebhookBackoff.NextAttempt(1, Created, Created.AddSeconds(10), Options));
        // Close to the deadline the last try lands on it, not past it.
        var late = Created.AddHours(23).AddMinutes(30);
        Assert.Equal(Created.AddHours(24), WebhookBackoff.NextAttempt(20, Created, late, Options));
        Assert.Null(WebhookBackoff.NextAttempt(21, Created, Created.AddHours(24), Options));

        // Walking the schedule: at least a day of tries, and a finite number of them.
        var now = Created;
        var attempts = 0;
        while (WebhookBackoff.NextAttempt(++attempts, Created, now, Options) is { } next) now = next;
        Assert.Equal(Created.AddHours(24), now);
        Assert.InRange(attempts, 20, 40);
    }
}

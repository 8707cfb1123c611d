namespace StreamForge.Media;

/// <summary>
/// Lets a value through at most once per interval (the first one at once); the final value (1.0) always passes.
/// The clock is injectable for tests.
/// </summary>
public sealed class ProgressThrottle(TimeSpan interval, Func<TimeSpan> clock)
{
    private TimeSpan? _lastEmit;

    public ProgressThrottle(TimeSpan interval)
        : this(interval, StopwatchClock())
    {
    }

    public bool ShouldEmit(double value)
    {
        var now = clock();
        if (value < 1 && _lastEmit is { } last && now - last < interval)
        {
            return false;
        }

        _lastEmit = now;
        return true;
    }

    private static Func<TimeSpan> StopwatchClock()
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        return () => stopwatch.Elapsed;
    }
}

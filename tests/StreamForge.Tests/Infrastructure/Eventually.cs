namespace StreamForge.Tests.Infrastructure;

/// <summary>Waits for a condition with a deadline instead of sleeping a guessed time.</summary>
public static class Eventually
{
    /// <summary>Re-checks <paramref name="condition"/> every <paramref name="every"/> (100 ms) until it holds; fails the test at the deadline.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe, TimeSpan? every = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow >= deadline) Assert.Fail($"timed out after {timeout.TotalSeconds:0.#} s: {describe()}");
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(100));
        }
    }

    public static Task HoldsAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe, TimeSpan? every = null)
        => HoldsAsync(() => Task.FromResult(condition()), timeout, describe, every);
}

namespace StreamForge.Tests.Infrastructure;

/// <summary>
/// The one way tests wait: re-check a condition until it holds, and fail the test at a deadline with a description of
/// what was last seen. Never a guessed sleep, never a hand-rolled loop.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultEvery = TimeSpan.FromMilliseconds(100);

    /// <summary>Re-checks <paramref name="condition"/> every <paramref name="every"/> (100 ms) until it holds; fails the test at the deadline.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe, TimeSpan? every = null)
        => await ValueAsync(condition, held => held, timeout, _ => describe(), every);

    public static Task HoldsAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe, TimeSpan? every = null)
        => HoldsAsync(() => Task.FromResult(condition()), timeout, describe, every);

    /// <summary>
    /// Re-reads <paramref name="probe"/> until <paramref name="accept"/> holds for what it returned, and returns that value;
    /// fails the test at the deadline with <paramref name="describe"/> of the last value read (default when none was).
    /// </summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> probe, Func<T, bool> accept, TimeSpan timeout, Func<T?, string> describe, TimeSpan? every = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        T? last = default;
        while (true)
        {
            last = await probe();
            if (accept(last)) return last;
            if (DateTime.UtcNow >= deadline) Assert.Fail($"timed out after {timeout.TotalSeconds:0.#} s: {describe(last)}");
            await Task.Delay(every ?? DefaultEvery);
        }
    }

    /// <summary>Whether <paramref name="condition"/> came to hold before the deadline, for a caller that judges a timeout itself (the fault report counts it as lost).</summary>
    public static async Task<bool> WithinAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? every = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow >= deadline) return false;
            await Task.Delay(every ?? DefaultEvery);
        }
        return true;
    }

    public static Task<T> ValueAsync<T>(Func<T> probe, Func<T, bool> accept, TimeSpan timeout, Func<T?, string> describe, TimeSpan? every = null)
        => ValueAsync(() => Task.FromResult(probe()), accept, timeout, describe, every);
}

namespace StreamForge.Worker.Processing;

/// <summary>What <see cref="FailurePolicy"/> makes of one failed run.</summary>
/// <param name="Permanent">Retrying cannot help (the input, a limit, a replaced source, a timeout).</param>
/// <param name="RetryDelay">When to run again; null: the video fails now (permanent, or no retry left).</param>
/// <param name="UserMessage">The video's lastError: one plain sentence for its owner, with no paths, storage keys,
/// exception type names or tool output.</param>
/// <param name="AdminDetail">The run's error on the admin job dashboard: everything the exception said.</param>
public sealed record FailureDecision(bool Permanent, TimeSpan? RetryDelay, string UserMessage, string AdminDetail)
{
    public bool Retry => RetryDelay is not null;
}

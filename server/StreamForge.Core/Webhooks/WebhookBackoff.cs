namespace StreamForge.Core.Webhooks;

/// <summary>When a failed delivery is tried again: exponential backoff, capped, until the give-up deadline.</summary>
public static class WebhookBackoff
{
    /// <summary>The delay after the <paramref name="attempts"/>-th failed attempt (1-based): base, 2×base, 4×base… at most <paramref name="max"/>.</summary>
    public static TimeSpan Delay(int attempts, TimeSpan baseDelay, TimeSpan max)
    {
        var doublings = Math.Clamp(attempts - 1, 0, 40);
        var ticks = baseDelay.Ticks * Math.Pow(2, doublings);
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>
    /// When to try again after <paramref name="attempts"/> failed attempts of a delivery created at
    /// <paramref name="createdAt"/>; null means give up. The last try lands on the deadline itself, so the receiver
    /// gets the whole window (<see cref="WebhookOptions.GiveUpAfter"/>).
    /// </summary>
    public static DateTimeOffset? NextAttempt(int attempts, DateTimeOffset createdAt, DateTimeOffset now, WebhookOptions options)
    {
        var deadline = createdAt + options.GiveUpAfter;
        if (now >= deadline) return null;
        var next = now + Delay(attempts, options.RetryBaseDelay, options.RetryMaxDelay);
        return next < deadline ? next : deadline;
    }
}

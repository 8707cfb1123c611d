namespace StreamForge.Api.Events;

/// <summary>The live event stream ("Events" section).</summary>
public sealed class EventsOptions
{
    public const string Section = "Events";

    /// <summary>
    /// Open streams one user may hold on one API node (a browser tab holds one). Each stream is a connection and a
    /// subscription held for hours, so an account must not be able to open thousands.
    /// </summary>
    public int MaxStreamsPerUser { get; set; } = 8;

    /// <summary>
    /// How often an open stream asks whether its session still stands (logout, password reset, demotion, deleted
    /// account close it); the answer itself may be up to <c>Auth:SessionCheckCacheDuration</c> old.
    /// </summary>
    public TimeSpan SessionCheckInterval { get; set; } = TimeSpan.FromSeconds(2);
}

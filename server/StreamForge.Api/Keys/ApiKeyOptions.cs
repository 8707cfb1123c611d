namespace StreamForge.Api.Keys;

/// <summary>API keys ("ApiKeys" section).</summary>
public sealed class ApiKeyOptions
{
    public const string Section = "ApiKeys";

    /// <summary>Keys one account may hold; a cap so keys are not a way to fill the table.</summary>
    public int MaxKeysPerAccount { get; set; } = 20;

    /// <summary>
    /// Requests per minute an account may make to the routes keys can reach. Its keys and its signed-in sessions share
    /// one count, so a key gets no bucket of its own; key callers past it get 429, sessions are only counted.
    /// </summary>
    public int RequestsPerMinute { get; set; } = 600;

    /// <summary>How stale a key's recorded last use may be: a busy key is written at most once per this interval.</summary>
    public TimeSpan LastUseResolution { get; set; } = TimeSpan.FromMinutes(1);
}

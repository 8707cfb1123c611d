namespace StreamForge.Core.Data;

/// <summary>
/// Recent failed sign-ins of one login name, whoever made them and from wherever: the account-level throttle.
/// Kept for addresses without an account too, so the throttle's answers do not tell which addresses exist.
/// </summary>
public sealed class LoginFailure
{
    /// <summary>The normalised (lower-cased, trimmed) email that was tried.</summary>
    public string Email { get; set; } = "";
    /// <summary>Attempts counted since the last success or since a quiet spell of <c>Auth:LoginFailureWindow</c>.</summary>
    public int Failures { get; set; }
    public DateTimeOffset LastFailureAt { get; set; }
}

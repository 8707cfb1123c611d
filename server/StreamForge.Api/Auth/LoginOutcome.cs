namespace StreamForge.Api.Auth;

/// <summary>What a sign-in came to: the session (<see cref="LoginOutcomeKind.SignedIn"/>), the fields at fault, or how long the account must wait.</summary>
public sealed record LoginOutcome(
    LoginOutcomeKind Kind, AuthResult? SignedIn = null, Dictionary<string, string[]>? Fields = null, int RetryAfterSeconds = 0);

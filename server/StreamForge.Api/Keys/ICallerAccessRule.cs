namespace StreamForge.Api.Keys;

/// <summary>
/// Which routes a non-session caller may reach. One rule per <see cref="CallerKinds"/> value is registered in DI; the
/// authorization gate (<see cref="CallerKindHandler"/>) asks the rule of the principal's kind on every authorized
/// route, and refuses kinds that have no rule. A session needs none: its role decides, as before.
/// </summary>
public interface ICallerAccessRule
{
    string Kind { get; }

    /// <summary>Why this caller may not call <paramref name="endpoint"/> (the 403's detail), or null when it may.</summary>
    string? Refusal(System.Security.Claims.ClaimsPrincipal principal, Endpoint? endpoint, HttpContext? http);
}

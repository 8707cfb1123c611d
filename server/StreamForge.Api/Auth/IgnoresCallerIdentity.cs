namespace StreamForge.Api.Auth;

/// <summary>
/// Endpoint metadata: the handler never reads who is calling (no user, no cookie identity), so a cross-site request
/// carrying the viewer's cookie can do nothing a stranger could not; the CSRF header check skips such routes.
/// </summary>
public sealed class IgnoresCallerIdentity
{
    public static readonly IgnoresCallerIdentity Instance = new();
}

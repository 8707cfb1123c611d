namespace StreamForge.Api.Auth;

public enum LoginOutcomeKind
{
    SignedIn,
    /// <summary>A credential is missing.</summary>
    Invalid,
    /// <summary>No account with this email and password; the answer does not say which was wrong.</summary>
    WrongCredentials,
    /// <summary>Too many failed sign-ins of this account; it must wait.</summary>
    Throttled,
}

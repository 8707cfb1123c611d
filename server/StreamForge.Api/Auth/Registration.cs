namespace StreamForge.Api.Auth;

/// <summary>How a sign-up went: signed in at once (<see cref="SignedIn"/>), or told to read their mail (<see cref="Mailed"/>).</summary>
public sealed record Registration(AuthResult? SignedIn, MailAccepted? Mailed);

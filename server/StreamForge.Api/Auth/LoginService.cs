namespace StreamForge.Api.Auth;

/// <summary>
/// The sign-in rule: both credentials present, the account's throttle asked before the password is checked (so a
/// guesser learns nothing while it waits), a session started on success. Answers are domain results;
/// <see cref="AuthApi"/> makes them HTTP.
/// </summary>
public sealed class LoginService(SessionService sessions, LoginThrottle throttle)
{
    public async Task<LoginOutcome> SignInAsync(CredentialsRequest body, HttpResponse response, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.Email) || string.IsNullOrEmpty(body.Password))
            return new(LoginOutcomeKind.Invalid, Fields: new() { ["credentials"] = ["email and password are required."] });
        var email = SessionService.NormalizeEmail(body.Email);
        // No account has a longer address, and the throttle's table could not hold it.
        if (email.Length > 254) return new(LoginOutcomeKind.WrongCredentials);
        if (await throttle.TryBeginAsync(email, ct) is { } wait)
            return new(LoginOutcomeKind.Throttled, RetryAfterSeconds: (int)Math.Ceiling(wait.TotalSeconds));
        var user = await sessions.FindByCredentialsAsync(email, body.Password, ct);
        if (user is null) return new(LoginOutcomeKind.WrongCredentials);
        await throttle.SucceededAsync(email, ct);
        return new(LoginOutcomeKind.SignedIn, await sessions.StartAsync(user, response, ct));
    }
}

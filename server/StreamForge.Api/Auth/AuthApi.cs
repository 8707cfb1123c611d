using System.Net.Mail;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Api.Infrastructure;
using StreamForge.Core.Data;

namespace StreamForge.Api.Auth;

public sealed record CredentialsRequest(string? Email, string? Password);

public static class AuthApi
{
    public const int MinPasswordLength = 8;

    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/auth").WithTags("Auth");
        group.MapPost("/register", Register).WithName("Register").WithSummary("Create an account and start a session").RequireRateLimiting(AuthSetup.RegisterRateLimit);
        group.MapPost("/login", Login).WithName("Login").WithSummary("Start a session").RequireRateLimiting(AuthSetup.LoginRateLimit);
        group.MapPost("/refresh", Refresh).WithName("Refresh").WithSummary("Rotate the refresh cookie and get a new access token").RequireRateLimiting(AuthSetup.RefreshRateLimit);
        group.MapPost("/logout", Logout).WithName("Logout").WithSummary("End the session");
        return group;
    }

    private static async Task<Results<Created<AuthResult>, Accepted<MailAccepted>, ValidationProblem, ProblemHttpResult>> Register(
        CredentialsRequest body, StreamForgeDbContext db, SessionService sessions, IPasswordHasher<User> hasher,
        IOptions<AuthOptions> options, TimeProvider clock, HttpResponse response, CancellationToken ct)
    {
        var errors = ValidateCredentials(body);
        if (errors.Count > 0) return Problems.Validation(errors);
        var email = SessionService.NormalizeEmail(body.Email!);
        if (options.Value.RequireEmailConfirmation) return await RegisterByMailAsync(email, body.Password!, db, hasher, clock, response.HttpContext.Request, ct);
        // Without confirmation the new account is signed in at once, so a taken address cannot be answered like a
        // free one; the per-address sign-up limit bounds how fast anyone can probe.
        if (await db.Users.AnyAsync(u => u.Email == email, ct))
            return Problems.Conflict("An account with this email already exists.");

        var user = NewUser(email, body.Password!, hasher, clock);
        db.Users.Add(user);
        try
        {
            var result = await sessions.StartAsync(user, response, ct);
            return TypedResults.Created("/api/v1/me", result);
        }
        catch (DbUpdateException e) when (IsUniqueViolation(e))
        {
            return Problems.Conflict("An account with this email already exists.");
        }
    }

    /// <summary>
    /// With confirmation required, sign-up answers the same whether or not the address has an account, and signs
    /// nobody in: a new account gets its confirmation link, an existing one a note with a password reset link. So
    /// sign-up tells a stranger nothing about which addresses are registered, and someone who registered the
    /// owner's address first does not keep it from the owner.
    /// </summary>
    private static async Task<Accepted<MailAccepted>> RegisterByMailAsync(
        string email, string password, StreamForgeDbContext db, IPasswordHasher<User> hasher, TimeProvider clock, HttpRequest request, CancellationToken ct)
    {
        var services = request.HttpContext.RequestServices;
        var baseUrl = services.GetRequiredService<Email.MailLinks>().BaseUrl(request);
        var queue = services.GetRequiredService<Email.MailQueue>();
        // Hashing on both paths keeps their timing alike.
        var user = NewUser(email, password, hasher, clock);
        var created = false;
        if (!await db.Users.AnyAsync(u => u.Email == email, ct))
        {
            db.Users.Add(user);
            try
            {
                await db.SaveChangesAsync(ct);
                created = true;
            }
            catch (DbUpdateException e) when (IsUniqueViolation(e))
            {
                db.ChangeTracker.Clear();
            }
        }
        if (created) queue.Enqueue((sp, token) => sp.GetRequiredService<AccountMails>().SendConfirmationAsync(user.Id, baseUrl, token));
        else queue.Enqueue((sp, token) => sp.GetRequiredService<AccountMails>().SendSignUpAttemptAsync(email, baseUrl, token));
        return TypedResults.Accepted((string?)null, new MailAccepted(
            $"Check your inbox at {email}: the mail we sent says how to continue. Then sign in."));
    }

    private static User NewUser(string email, string password, IPasswordHasher<User> hasher, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var user = new User { Id = Guid.NewGuid(), Email = email, Role = Roles.User, CreatedAt = now, UpdatedAt = now };
        user.PasswordHash = hasher.HashPassword(user, password);
        return user;
    }

    private static bool IsUniqueViolation(DbUpdateException e) =>
        e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation };

    private static async Task<Results<Ok<AuthResult>, ValidationProblem, ProblemHttpResult>> Login(
        CredentialsRequest body, SessionService sessions, LoginThrottle throttle, HttpResponse response, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.Email) || string.IsNullOrEmpty(body.Password))
            return Problems.Validation(new() { ["credentials"] = ["email and password are required."] });
        var email = SessionService.NormalizeEmail(body.Email);
        // No account has a longer address, and the throttle's table could not hold it.
        if (email.Length > 254) return InvalidCredentials();
        if (await throttle.TryBeginAsync(email, ct) is { } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problems.Create(StatusCodes.Status429TooManyRequests, "login-throttled", "Too many failed sign-ins",
                $"Too many failed sign-ins for this account; try again in {seconds} seconds, or reset the password.");
        }
        var user = await sessions.FindByCredentialsAsync(email, body.Password, ct);
        if (user is null) return InvalidCredentials();
        await throttle.SucceededAsync(email, ct);
        return TypedResults.Ok(await sessions.StartAsync(user, response, ct));
    }

    private static ProblemHttpResult InvalidCredentials() =>
        Problems.Create(StatusCodes.Status401Unauthorized, "invalid-credentials", "Invalid credentials", "The email or password is wrong.");

    private static async Task<Results<Ok<AuthResult>, ProblemHttpResult>> Refresh(HttpRequest request, SessionService sessions, HttpResponse response, CancellationToken ct)
    {
        var presented = request.Cookies[AuthOptions.RefreshCookie];
        var result = string.IsNullOrEmpty(presented) ? null : await sessions.RefreshAsync(presented, response, ct);
        return result is null
            ? Problems.Create(StatusCodes.Status401Unauthorized, "session-expired", "Session expired", "Log in again.")
            : TypedResults.Ok(result);
    }

    private static async Task<NoContent> Logout(HttpRequest request, System.Security.Claims.ClaimsPrincipal principal, SessionService sessions, HttpResponse response, CancellationToken ct)
    {
        await sessions.EndAsync(request.Cookies[AuthOptions.RefreshCookie], principal, response, ct);
        return TypedResults.NoContent();
    }

    internal static Dictionary<string, string[]> ValidateCredentials(CredentialsRequest body)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Email) || body.Email.Length > 254 || !MailAddress.TryCreate(body.Email.Trim(), out var parsed) || parsed.Address != body.Email.Trim())
            errors["email"] = ["email must be a valid address of at most 254 characters."];
        if (CheckPassword(body.Password) is { } problem) errors["password"] = [problem];
        return errors;
    }

    internal static string? CheckPassword(string? password) =>
        string.IsNullOrEmpty(password) || password.Length < MinPasswordLength ? $"password must be at least {MinPasswordLength} characters."
        : password.Length > 200 ? "password must be at most 200 characters."
        : null;
}

using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Api.Email;
using StreamForge.Api.Infrastructure;
using StreamForge.Core.Data;

namespace StreamForge.Api.Auth;

/// <summary>Sign-up: a new account signed in at once, or, with confirmation required, a mail either way. <see cref="AuthApi"/> makes the answers HTTP.</summary>
public sealed class RegistrationService(
    StreamForgeDbContext db, SessionService sessions, IPasswordHasher<User> hasher, IOptions<AuthOptions> options, MailQueue queue, MailLinks links, TimeProvider clock)
{
    public async Task<Outcome<Registration>> RegisterAsync(CredentialsRequest body, HttpResponse response, CancellationToken ct)
    {
        var errors = AuthApi.ValidateCredentials(body);
        if (errors.Count > 0) return Refusal.Invalid(errors);
        var email = SessionService.NormalizeEmail(body.Email!);
        if (options.Value.RequireEmailConfirmation)
            return new Registration(null, await RegisterByMailAsync(email, body.Password!, links.BaseUrl(response.HttpContext.Request), ct));
        // Without confirmation the new account is signed in at once, so a taken address cannot be answered like a
        // free one; the per-address sign-up limit bounds how fast anyone can probe.
        if (await db.Users.AnyAsync(u => u.Email == email, ct))
            return Refusal.Conflict("An account with this email already exists.");

        var user = NewUser(email, body.Password!);
        db.Users.Add(user);
        try
        {
            return new Registration(await sessions.StartAsync(user, response, ct), null);
        }
        catch (DbUpdateException e) when (IsUniqueViolation(e))
        {
            return Refusal.Conflict("An account with this email already exists.");
        }
    }

    /// <summary>
    /// With confirmation required, sign-up answers the same whether or not the address has an account, and signs
    /// nobody in: a new account gets its confirmation link, an existing one a note with a password reset link. So
    /// sign-up tells a stranger nothing about which addresses are registered, and someone who registered the
    /// owner's address first does not keep it from the owner.
    /// </summary>
    private async Task<MailAccepted> RegisterByMailAsync(string email, string password, string? baseUrl, CancellationToken ct)
    {
        // Hashing on both paths keeps their timing alike.
        var user = NewUser(email, password);
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
        return new MailAccepted($"Check your inbox at {email}: the mail we sent says how to continue. Then sign in.");
    }

    private User NewUser(string email, string password)
    {
        var now = clock.GetUtcNow();
        var user = new User { Id = Guid.NewGuid(), Email = email, Role = Roles.User, CreatedAt = now, UpdatedAt = now };
        user.PasswordHash = hasher.HashPassword(user, password);
        return user;
    }

    private static bool IsUniqueViolation(DbUpdateException e) =>
        e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation };
}

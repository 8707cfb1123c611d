using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Api.Email;
using StreamForge.Core.Data;

namespace StreamForge.Api.Auth;

/// <summary>The account mails (password reset, email confirmation). Runs on the mail queue, after the response.</summary>
public sealed class AccountMails(
    StreamForgeDbContext db, AccountTokenService tokens, IEmailSender sender, IOptions<AuthOptions> options,
    TimeProvider clock, ILogger<AccountMails> log)
{
    private AuthOptions O => options.Value;

    public async Task SendPasswordResetAsync(string normalizedEmail, string? baseUrl, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Email == normalizedEmail, ct);
        if (user is null)
        {
            log.LogInformation("Password reset asked for an address without an account; nothing sent.");
            return;
        }
        await SendLinkAsync(user, ResetLink, baseUrl, valid => new LinkMail("Reset your StreamForge password",
            "Someone (hopefully you) asked to reset the password of your StreamForge account.",
            "Choose a new password",
            $"The link works once, for {valid}. Using it signs you out everywhere. If you did not ask for this, ignore this mail: your password stays as it is."), ct);
    }

    /// <summary>
    /// Someone signed up with an address that has an account (only when confirmation is required, where sign-up
    /// answers alike either way). The owner learns of it and gets a reset link, under the reset mails' limit.
    /// </summary>
    public async Task SendSignUpAttemptAsync(string normalizedEmail, string? baseUrl, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Email == normalizedEmail, ct);
        if (user is null) return;
        await SendLinkAsync(user, ResetLink, baseUrl, valid => new LinkMail("You already have a StreamForge account",
            "Someone (hopefully you) tried to create a StreamForge account with this address, which already has one. Nothing was changed.",
            "Forgot the password? Choose a new one",
            $"Otherwise just sign in as usual. The link works once, for {valid}. If this was not you, ignore this mail."), ct);
    }

    public async Task SendConfirmationAsync(Guid userId, string? baseUrl, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null || user.EmailConfirmedAt is not null) return;
        await SendLinkAsync(user, ConfirmationLink, baseUrl, valid => new LinkMail("Confirm your email address for StreamForge",
            "Please confirm that this address belongs to your StreamForge account.",
            "Confirm my address",
            $"The link works once, for {valid}. If you did not sign up, ignore this mail."), ct);
    }

    private sealed record LinkKind(string Purpose, string Path, Func<AuthOptions, TimeSpan> Lifetime);
    private sealed record LinkMail(string Subject, string Intro, string Action, string Footer);

    private static readonly LinkKind ResetLink = new(AccountTokenPurpose.PasswordReset, "reset-password", o => o.PasswordResetTokenLifetime);
    private static readonly LinkKind ConfirmationLink = new(AccountTokenPurpose.EmailConfirmation, "confirm-email", o => o.EmailConfirmationTokenLifetime);

    /// <summary>Every account mail: the per-address limit, a fresh single-use token, and the mail carrying its link.</summary>
    private async Task SendLinkAsync(User user, LinkKind kind, string? baseUrl, Func<string, LinkMail> mail, CancellationToken ct)
    {
        if (!await WithinAddressLimitAsync(user.Id, kind.Purpose, ct) || !HasBase(baseUrl)) return;
        var lifetime = kind.Lifetime(O);
        var token = await tokens.IssueAsync(user.Id, kind.Purpose, lifetime, ct);
        var link = $"{baseUrl}/{kind.Path}?token={Uri.EscapeDataString(token)}";
        var text = mail(Describe(lifetime));
        await sender.SendAsync(Compose(user.Email, text.Subject, text.Intro, text.Action, link, text.Footer), ct);
    }

    /// <summary>
    /// Per address, counted in the database so every API node sees the same count: many IP addresses asking for
    /// one victim still cannot flood their inbox. Over the limit nothing is sent and the answer stays the same,
    /// unless no link of this kind still works: then one more goes out, so strangers using up the allowance never
    /// leave the owner without a usable link (a flood is held to one mail per link lifetime).
    /// </summary>
    private async Task<bool> WithinAddressLimitAsync(Guid userId, string purpose, CancellationToken ct)
    {
        var sent = await tokens.IssuedSinceAsync(userId, purpose, clock.GetUtcNow().AddHours(-1), ct);
        if (sent < O.AccountMailsPerAddressPerHour) return true;
        if (!await tokens.HasLiveAsync(userId, purpose, ct)) return true;
        log.LogWarning("{Purpose} mail for user {UserId} not sent: {Sent} in the last hour (Auth:AccountMailsPerAddressPerHour).", purpose, userId, sent);
        return false;
    }

    private bool HasBase(string? baseUrl)
    {
        if (baseUrl is not null) return true;
        log.LogError("Mail with a link not sent: App:PublicUrl is not set (env App__PublicUrl).");
        return false;
    }

    private static EmailMessage Compose(string to, string subject, string intro, string action, string link, string footer)
    {
        var text = $"{intro}\n\n{action}:\n{link}\n\n{footer}\n";
        var (i, a, l, f) = (WebUtility.HtmlEncode(intro), WebUtility.HtmlEncode(action), WebUtility.HtmlEncode(link), WebUtility.HtmlEncode(footer));
        var html = $"""
            <!doctype html>
            <html><head><meta charset="utf-8"><title>{WebUtility.HtmlEncode(subject)}</title></head>
            <body>
            <p>{i}</p>
            <p><a href="{l}">{a}</a></p>
            <p>Or copy this address into your browser:<br>{l}</p>
            <p>{f}</p>
            </body></html>
            """;
        return new EmailMessage(to, subject, text, html);
    }

    internal static string Describe(TimeSpan span) =>
        span.TotalMinutes < 120 ? $"{Math.Round(span.TotalMinutes)} minutes"
        : span.TotalHours < 48 ? $"{Math.Round(span.TotalHours)} hours"
        : $"{Math.Round(span.TotalDays)} days";
}

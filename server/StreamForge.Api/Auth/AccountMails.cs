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
        if (!await WithinAddressLimitAsync(user.Id, AccountTokenPurpose.PasswordReset, ct) || !HasBase(baseUrl)) return;
        var token = await tokens.IssueAsync(user.Id, AccountTokenPurpose.PasswordReset, O.PasswordResetTokenLifetime, ct);
        var link = $"{baseUrl}/reset-password?token={Uri.EscapeDataString(token)}";
        var valid = Describe(O.PasswordResetTokenLifetime);
        await sender.SendAsync(Compose(user.Email, "Reset your StreamForge password",
            "Someone (hopefully you) asked to reset the password of your StreamForge account.",
            "Choose a new password", link,
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
        if (!await WithinAddressLimitAsync(user.Id, AccountTokenPurpose.PasswordReset, ct) || !HasBase(baseUrl)) return;
        var token = await tokens.IssueAsync(user.Id, AccountTokenPurpose.PasswordReset, O.PasswordResetTokenLifetime, ct);
        var link = $"{baseUrl}/reset-password?token={Uri.EscapeDataString(token)}";
        await sender.SendAsync(Compose(user.Email, "You already have a StreamForge account",
            "Someone (hopefully you) tried to create a StreamForge account with this address, which already has one. Nothing was changed.",
            "Forgot the password? Choose a new one", link,
            $"Otherwise just sign in as usual. The link works once, for {Describe(O.PasswordResetTokenLifetime)}. If this was not you, ignore this mail."), ct);
    }

    public async Task SendConfirmationAsync(Guid userId, string? baseUrl, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null || user.EmailConfirmedAt is not null) return;
        if (!await WithinAddressLimitAsync(user.Id, AccountTokenPurpose.EmailConfirmation, ct) || !HasBase(baseUrl)) return;
        var token = await tokens.IssueAsync(user.Id, AccountTokenPurpose.EmailConfirmation, O.EmailConfirmationTokenLifetime, ct);
        var link = $"{baseUrl}/confirm-email?token={Uri.EscapeDataString(token)}";
        await sender.SendAsync(Compose(user.Email, "Confirm your email address for StreamForge",
            "Please confirm that this address belongs to your StreamForge account.",
            "Confirm my address", link,
            $"The link works once, for {Describe(O.EmailConfirmationTokenLifetime)}. If you did not sign up, ignore this mail."), ct);
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

namespace StreamForge.Api.Email;

/// <summary>Delivers one mail; the configured mode decides how (SMTP relay or a dev outbox folder).</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken ct);
}

using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace StreamForge.Api.Email;

/// <summary>Production delivery through an SMTP relay with MailKit; one connection per mail (reset mails are rare).</summary>
public sealed class SmtpEmailSender(IOptions<EmailOptions> options, ILogger<SmtpEmailSender> log) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken ct)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.Smtp.Host))
            throw new InvalidOperationException("Email:Smtp:Host is not set (env Email__Smtp__Host); no mail can be sent.");
        var mime = Mime.Build(message, o.From);
        using var client = new SmtpClient { Timeout = (int)o.Smtp.Timeout.TotalMilliseconds };
        var security = o.Smtp.Port == 465 ? SecureSocketOptions.SslOnConnect
            : o.Smtp.StartTls ? SecureSocketOptions.StartTls
            : SecureSocketOptions.None;
        await client.ConnectAsync(o.Smtp.Host, o.Smtp.Port, security, ct);
        if (!string.IsNullOrEmpty(o.Smtp.User))
            await client.AuthenticateAsync(o.Smtp.User, o.Smtp.Password, ct);
        await client.SendAsync(mime, ct);
        await client.DisconnectAsync(quit: true, ct);
        log.LogInformation("Mail \"{Subject}\" sent through {Host}:{Port}", message.Subject, o.Smtp.Host, o.Smtp.Port);
    }
}

using MimeKit;

namespace StreamForge.Api.Email;

internal static class Mime
{
    public static MimeMessage Build(EmailMessage message, string from)
    {
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(from));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Subject = message.Subject;
        mime.Date = DateTimeOffset.UtcNow;
        mime.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId(MailboxAddress.Parse(from).Domain is { Length: > 0 } d ? d : "streamforge.local");
        mime.Body = new BodyBuilder { TextBody = message.Text, HtmlBody = message.Html }.ToMessageBody();
        return mime;
    }
}

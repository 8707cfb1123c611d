using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StreamForge.Api.Email;

namespace StreamForge.Tests.Email;

/// <summary>
/// The SMTP sender against a tiny SMTP server in the test (a TcpListener speaking just enough of RFC 5321): proves
/// MailKit really connects, authenticates and hands over the message, and never sends in clear text when TLS is
/// required but not offered.
/// </summary>
public sealed class SmtpEmailSenderTests
{
    private static SmtpEmailSender Sender(int port, bool startTls, string user = "", string password = "") =>
        new(Options.Create(new EmailOptions
        {
            Mode = EmailMode.Smtp,
            From = "StreamForge <no-reply@streamforge.test>",
            Smtp = new SmtpSettings { Host = "127.0.0.1", Port = port, User = user, Password = password, StartTls = startTls, Timeout = TimeSpan.FromSeconds(10) },
        }), NullLogger<SmtpEmailSender>.Instance);

    [Fact]
    public async Task Sends_the_message_through_the_relay_with_authentication()
    {
        await using var server = new TinySmtpServer();
        var message = new EmailMessage("someone@example.com", "Reset your StreamForge password",
            "Choose a new password:\nhttps://video.example/reset-password?token=abc\n", "<p><a href=\"https://video.example/reset-password?token=abc\">Choose</a></p>");

        await Sender(server.Port, startTls: false, "mailer", "s3cret").SendAsync(message, CancellationToken.None);
        var session = await server.Session;

        Assert.Contains("AUTH PLAIN", session.Commands.Single(c => c.StartsWith("AUTH", StringComparison.Ordinal)));
        Assert.Equal("\0mailer\0s3cret", server.PlainCredentials);
        Assert.Contains("MAIL FROM:<no-reply@streamforge.test>", session.Commands);
        Assert.Contains("RCPT TO:<someone@example.com>", session.Commands);
        Assert.Contains("QUIT", session.Commands);
        var mime = MimeKit.MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(session.Data ?? "")));
        Assert.Equal("Reset your StreamForge password", mime.Subject);
        Assert.Equal("someone@example.com", mime.To.Mailboxes.Single().Address);
        Assert.Contains("https://video.example/reset-password?token=abc", mime.TextBody);
        Assert.Contains("reset-password?token=abc", mime.HtmlBody);
    }

    [Fact]
    public async Task Refuses_to_send_in_clear_text_when_StartTls_is_required_and_the_server_offers_none()
    {
        await using var server = new TinySmtpServer();
        var message = new EmailMessage("someone@example.com", "Subject", "text", "<p>html</p>");
        await Assert.ThrowsAnyAsync<Exception>(() => Sender(server.Port, startTls: true).SendAsync(message, CancellationToken.None));
        var session = await server.Session;
        Assert.DoesNotContain(session.Commands, c => c.StartsWith("MAIL", StringComparison.Ordinal));
        Assert.Null(session.Data);
    }

    [Fact]
    public async Task Without_a_host_it_says_which_setting_is_missing()
    {
        var sender = new SmtpEmailSender(Options.Create(new EmailOptions()), NullLogger<SmtpEmailSender>.Instance);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => sender.SendAsync(new EmailMessage("a@example.com", "s", "t", "h"), CancellationToken.None));
        Assert.Contains("Email__Smtp__Host", error.Message);
    }

    /// <summary>One SMTP session on a loopback port: records the commands and the DATA, answers success.</summary>
    private sealed class TinySmtpServer : IAsyncDisposable
    {
        public sealed record Recorded(List<string> Commands, string? Data);

        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        public int Port { get; }
        public Task<Recorded> Session { get; }
        public string? PlainCredentials { get; private set; }

        public TinySmtpServer()
        {
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            Session = Task.Run(ServeAsync);
        }

        private async Task<Recorded> ServeAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            using var client = await _listener.AcceptTcpClientAsync(timeout.Token);
            await using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            var commands = new List<string>();
            string? data = null;
            await writer.WriteLineAsync("220 tiny.test ESMTP ready");
            while (await reader.ReadLineAsync(timeout.Token) is { } line)
            {
                commands.Add(line);
                var verb = line.Split(' ')[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-tiny.test");
                        await writer.WriteLineAsync("250-AUTH PLAIN");
                        await writer.WriteLineAsync("250 8BITMIME");
                        break;
                    case "AUTH":
                        PlainCredentials = Encoding.UTF8.GetString(Convert.FromBase64String(line.Split(' ')[2]));
                        await writer.WriteLineAsync("235 2.7.0 Authentication successful");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var sb = new StringBuilder();
                        while (await reader.ReadLineAsync(timeout.Token) is { } dataLine && dataLine != ".")
                            sb.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                        data = sb.ToString();
                        await writer.WriteLineAsync("250 2.0.0 queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 2.0.0 bye");
                        return new Recorded(commands, data);
                    default:
                        await writer.WriteLineAsync("250 2.0.0 OK");
                        break;
                }
            }
            return new Recorded(commands, data);
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            try { await Session; } catch { /* a session the test already judged */ }
        }
    }
}

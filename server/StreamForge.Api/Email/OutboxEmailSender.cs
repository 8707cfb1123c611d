using Microsoft.Extensions.Options;

namespace StreamForge.Api.Email;

/// <summary>
/// Development delivery: each mail becomes NAME.eml (the real MIME message, openable in any mail client) plus
/// NAME.html and NAME.txt for reading in a browser or an editor. Names sort by time.
/// </summary>
public sealed class OutboxEmailSender(IOptions<EmailOptions> options, ILogger<OutboxEmailSender> log) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken ct)
    {
        var folder = options.Value.ResolvedOutboxPath;
        Directory.CreateDirectory(folder);
        var name = $"{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}-{Guid.NewGuid().ToString("N")[..8]}";
        var mime = Mime.Build(message, options.Value.From);
        // The .eml is written last and under a temporary name first: whoever sees it can read the whole mail.
        await File.WriteAllTextAsync(Path.Combine(folder, name + ".html"), message.Html, ct);
        await File.WriteAllTextAsync(Path.Combine(folder, name + ".txt"), message.Text, ct);
        var temp = Path.Combine(folder, name + ".eml.tmp");
        await mime.WriteToAsync(temp, ct);
        File.Move(temp, Path.Combine(folder, name + ".eml"));
        log.LogInformation("Mail \"{Subject}\" to {To} written to {Path}", message.Subject, message.To, Path.Combine(folder, name + ".eml"));
    }
}

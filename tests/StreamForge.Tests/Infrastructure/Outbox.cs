using System.Text.RegularExpressions;
using MimeKit;

namespace StreamForge.Tests.Infrastructure;

/// <summary>Reads the dev outbox folder the API writes mails into, as a developer would open them.</summary>
public sealed partial class Outbox(string folder)
{
    public string Folder { get; } = folder;

    public static Outbox CreateTemporary() =>
        new(Path.Combine(Path.GetTempPath(), "sf-outbox-" + Guid.NewGuid().ToString("N")[..10]));

    public IReadOnlyList<MimeMessage> MailsTo(string address)
    {
        if (!Directory.Exists(Folder)) return [];
        return Directory.EnumerateFiles(Folder, "*.eml").Order(StringComparer.Ordinal)
            .Select(f => MimeMessage.Load(f))
            .Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase)))
            .ToList();
    }

    /// <summary>Polls until <paramref name="count"/> mails to the address exist (mail goes out after the response), or fails.</summary>
    public async Task<MimeMessage> WaitForMailAsync(string address, int count = 1, TimeSpan? timeout = null)
    {
        var mails = await Eventually.ValueAsync(() => MailsTo(address), found => found.Count >= count, timeout ?? TimeSpan.FromSeconds(20),
            found => $"no mail #{count} to {address} in {Folder} (found {found?.Count ?? 0})", TimeSpan.FromMilliseconds(50));
        return mails[count - 1];
    }

    [GeneratedRegex(@"https?://\S+?[?&]token=([A-Za-z0-9_\-%]+)")]
    private static partial Regex Link();

    /// <summary>The link in the mail's text part and the token it carries.</summary>
    public static (string Link, string Token) LinkIn(MimeMessage mail)
    {
        var match = Link().Match(mail.TextBody ?? "");
        Assert.True(match.Success, $"no link in the mail:\n{mail.TextBody}");
        return (match.Value, Uri.UnescapeDataString(match.Groups[1].Value));
    }
}

using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace StreamForge.Api.Email;

/// <summary>
/// Development only (Program maps it in the Development environment and nowhere else): the outbox folder, read-only,
/// so the mails of the local stack are one click away. Serves only files named like the outbox names them.
/// </summary>
public static partial class DevOutbox
{
    public const string Path = "/dev/outbox";
    private const int Listed = 200;

    [GeneratedRegex(@"^\d{8}-\d{6}-\d{3}-[0-9a-f]{8}\.(eml|html|txt)\z")]
    private static partial Regex MailFile();

    public static void MapDevOutbox(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path).ExcludeFromDescription();
        group.MapGet("/", List);
        group.MapGet("/{file}", Open);
    }

    private static async Task<IResult> List(IOptions<EmailOptions> options, CancellationToken ct)
    {
        var o = options.Value;
        var html = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Dev outbox</title></head><body><h1>Dev outbox</h1>");
        if (o.Mode != EmailMode.Outbox)
        {
            html.Append("<p>Mails are not written to an outbox: Email:Mode is ").Append(o.Mode).Append(".</p></body></html>");
            return Results.Content(html.ToString(), "text/html; charset=utf-8");
        }
        var folder = o.ResolvedOutboxPath;
        html.Append("<p>Folder: <code>").Append(WebUtility.HtmlEncode(folder)).Append("</code>. Newest first.</p><table><thead><tr><th>Written (UTC)</th><th>To</th><th>Subject</th><th>Open</th></tr></thead><tbody>");
        var mails = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.eml").Select(System.IO.Path.GetFileName).OfType<string>().Where(n => MailFile().IsMatch(n))
                .OrderDescending(StringComparer.Ordinal).Take(Listed).ToList()
            : [];
        foreach (var name in mails)
        {
            var stem = name[..^4];
            string to = "", subject = "";
            try
            {
                using var message = await MimeMessage.LoadAsync(System.IO.Path.Combine(folder, name), ct);
                (to, subject) = (message.To.ToString(), message.Subject ?? "");
            }
            catch (Exception e) when (e is IOException or FormatException) { subject = "(unreadable)"; }
            var when = DateTime.TryParseExact(stem[..19], "yyyyMMdd-HHmmss-fff", null, System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var t)
                ? t.ToString("yyyy-MM-dd HH:mm:ss") : "";
            html.Append("<tr><td>").Append(when).Append("</td><td>").Append(WebUtility.HtmlEncode(to)).Append("</td><td>")
                .Append(WebUtility.HtmlEncode(subject)).Append("</td><td>")
                .Append($"<a href=\"{Path}/{stem}.html\">html</a> <a href=\"{Path}/{stem}.txt\">text</a> <a href=\"{Path}/{name}\">eml</a>")
                .Append("</td></tr>");
        }
        if (mails.Count == 0) html.Append("<tr><td colspan=\"4\">No mail yet.</td></tr>");
        html.Append("</tbody></table></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }

    private static IResult Open(string file, IOptions<EmailOptions> options)
    {
        var o = options.Value;
        var path = System.IO.Path.Combine(o.ResolvedOutboxPath, file);
        if (o.Mode != EmailMode.Outbox || !MailFile().IsMatch(file) || !File.Exists(path))
            return Results.Problem(statusCode: 404, title: "Not found", detail: "No such mail in the dev outbox.");
        var type = System.IO.Path.GetExtension(file) switch
        {
            ".html" => "text/html; charset=utf-8",
            // Shown as text in the browser; save it to open it in a mail client.
            _ => "text/plain; charset=utf-8",
        };
        return Results.File(path, type);
    }
}

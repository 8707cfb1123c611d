using System.Globalization;
using System.Net;
using System.Text;

namespace StreamForge.Api.Web;

/// <summary>
/// The Open Graph and Twitter card tags of a watch page, put into the SPA's index.html so that a pasted link unfurls
/// (link previews do not run scripts). The title is user input: every value is HTML-encoded into a quoted attribute.
/// </summary>
public static class WatchPageMeta
{
    public static string Tags(WatchPageFacts facts)
    {
        var tags = new StringBuilder();
        void Meta(string attribute, string name, string value) =>
            tags.Append("    <meta ").Append(attribute).Append("=\"").Append(name).Append("\" content=\"").Append(WebUtility.HtmlEncode(value)).Append("\" />\n");

        Meta("property", "og:type", "video.other");
        Meta("property", "og:site_name", "StreamForge");
        Meta("property", "og:title", facts.Title);
        Meta("property", "og:url", facts.PageUrl);
        if (facts.PosterUrl is { } poster)
        {
            Meta("property", "og:image", poster);
        }

        if (facts.DurationSeconds is { } duration)
        {
            var seconds = Math.Max(1, (long)Math.Round(duration)).ToString(CultureInfo.InvariantCulture);
            // video:duration is Open Graph's own name; some consumers read the og: prefixed one.
            Meta("property", "video:duration", seconds);
            Meta("property", "og:video:duration", seconds);
        }

        Meta("name", "twitter:card", facts.PosterUrl is null ? "summary" : "summary_large_image");
        Meta("name", "twitter:title", facts.Title);
        if (facts.PosterUrl is { } image)
        {
            Meta("name", "twitter:image", image);
        }

        return tags.ToString();
    }

    /// <summary>index.html with the video's title as the document title and its tags at the end of the head.</summary>
    public static string Inject(string indexHtml, WatchPageFacts facts)
    {
        var head = indexHtml.IndexOf("</head>", StringComparison.OrdinalIgnoreCase);
        if (head < 0) return indexHtml;
        var html = indexHtml.Insert(head, Tags(facts));
        var titleStart = html.IndexOf("<title>", StringComparison.OrdinalIgnoreCase);
        var titleEnd = titleStart < 0 ? -1 : html.IndexOf("</title>", titleStart, StringComparison.OrdinalIgnoreCase);
        return titleEnd < 0
            ? html
            : html[..titleStart] + "<title>" + WebUtility.HtmlEncode(facts.Title) + " · StreamForge</title>" + html[(titleEnd + "</title>".Length)..];
    }
}

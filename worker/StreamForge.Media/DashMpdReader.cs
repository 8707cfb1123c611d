using System.Globalization;
using System.Xml.Linq;

namespace StreamForge.Media;

/// <summary>Parses the MPD ffmpeg's DASH muxer writes (SegmentTemplate + SegmentTimeline, attributes inherited from the adaptation set).</summary>
public static class DashMpdReader
{
    public static DashMpd Read(string path) => Parse(File.ReadAllText(path));

    public static DashMpd Parse(string xml)
    {
        var root = XDocument.Parse(xml).Root ?? throw new FormatException("empty MPD");
        XNamespace ns = root.Name.Namespace;
        var presentationDuration = ParseIsoDuration((string?)root.Attribute("mediaPresentationDuration"));

        var representations = new List<DashRepresentation>();
        foreach (var set in root.Elements(ns + "Period").Elements(ns + "AdaptationSet"))
        {
            // Side-loaded text tracks (our captions) have no segments to read.
            if ((string?)set.Attribute("contentType") == "text" || ((string?)set.Attribute("mimeType"))?.StartsWith("text/", StringComparison.Ordinal) == true)
            {
                continue;
            }

            foreach (var rep in set.Elements(ns + "Representation"))
            {
                string? Attr(string name) => (string?)rep.Attribute(name) ?? (string?)set.Attribute(name);

                var template = rep.Element(ns + "SegmentTemplate") ?? set.Element(ns + "SegmentTemplate")
                    ?? throw new FormatException($"representation {(string?)rep.Attribute("id")} has no SegmentTemplate");
                var timescale = (long?)template.Attribute("timescale") ?? 1;
                var startNumber = (int?)template.Attribute("startNumber") ?? 1;
                var offset = (long?)template.Attribute("presentationTimeOffset") ?? 0;
                var mimeType = Attr("mimeType") ?? "";

                representations.Add(new DashRepresentation(
                    Id: (string?)rep.Attribute("id") ?? throw new FormatException("representation without id"),
                    ContentType: Attr("contentType") ?? mimeType.Split('/')[0],
                    MimeType: mimeType,
                    Codecs: Attr("codecs") ?? "",
                    Bandwidth: (long?)rep.Attribute("bandwidth") ?? 0,
                    Width: ParseInt(Attr("width")),
                    Height: ParseInt(Attr("height")),
                    AudioSamplingRate: ParseInt(Attr("audioSamplingRate")),
                    AudioChannels: ParseInt((string?)(rep.Element(ns + "AudioChannelConfiguration") ?? set.Element(ns + "AudioChannelConfiguration"))?.Attribute("value")),
                    Timescale: timescale,
                    StartNumber: startNumber,
                    Initialization: (string?)template.Attribute("initialization"),
                    Media: (string?)template.Attribute("media"),
                    Segments: ExpandTimeline(template.Element(ns + "SegmentTimeline"), ns, timescale, startNumber, offset, presentationDuration)));
            }
        }

        return new DashMpd(presentationDuration, representations);
    }

    /// <summary>
    /// Expands &lt;S t d r&gt; entries: a missing t continues from the previous end; r repeats the entry r more times
    /// (r = -1 repeats until the next t or the end of the presentation).
    /// </summary>
    internal static IReadOnlyList<DashSegment> ExpandTimeline(
        XElement? timeline, XNamespace ns, long timescale, int startNumber, long presentationTimeOffset, double? presentationDuration)
    {
        var segments = new List<DashSegment>();
        if (timeline is null)
        {
            return segments;
        }

        var entries = timeline.Elements(ns + "S").ToList();
        long next = 0;
        var number = startNumber;
        for (var i = 0; i < entries.Count; i++)
        {
            var s = entries[i];
            var t = (long?)s.Attribute("t") ?? next;
            var d = (long?)s.Attribute("d") ?? throw new FormatException("SegmentTimeline S without d");
            if (d <= 0)
            {
                throw new FormatException("SegmentTimeline S with a non-positive d");
            }

            var r = (long?)s.Attribute("r") ?? 0;
            if (r < 0)
            {
                var until = i + 1 < entries.Count && (long?)entries[i + 1].Attribute("t") is { } nextT
                    ? nextT
                    : presentationDuration is { } total ? (long)Math.Round(total * timescale) + presentationTimeOffset : t + d;
                r = Math.Max(0, (until - t + d - 1) / d - 1);
            }

            for (var k = 0; k <= r; k++)
            {
                segments.Add(new DashSegment(number++, (double)(t - presentationTimeOffset) / timescale, (double)d / timescale, t, d));
                t += d;
            }

            next = t;
        }

        return segments;
    }

    /// <summary>ISO 8601 durations as MPDs write them: PT1H2M3.5S, P1DT2S.</summary>
    internal static double? ParseIsoDuration(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        try
        {
            return System.Xml.XmlConvert.ToTimeSpan(text).TotalSeconds;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static int? ParseInt(string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}

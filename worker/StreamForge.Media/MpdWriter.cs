using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace StreamForge.Media;

/// <summary>
/// Writes the uploaded <c>manifest.mpd</c> from the same <see cref="Manifest"/> as manifest.json, so both always
/// agree: an isoff-live MPD, one video adaptation set (a representation per rung, each with its own
/// SegmentTemplate + SegmentTimeline on the final paths), an audio adaptation set per audio track (its language in
/// <c>lang</c>, its label in Label, Role main on the default) and a text set per caption track.
/// A complete manifest gives a static MPD. A growing one (still being encoded) gives a dynamic MPD that lists the
/// segments published so far: players refresh it, and the final static MPD that replaces it ends the presentation.
/// </summary>
public static class MpdWriter
{
    /// <summary>How often a player should re-read a growing MPD; the worker rewrites it about every second.</summary>
    public static readonly TimeSpan GrowingUpdatePeriod = TimeSpan.FromSeconds(2);

    private static readonly XNamespace Dash = "urn:mpeg:dash:schema:mpd:2011";

    /// <param name="publishTime">
    /// When this MPD is published: required for a growing manifest (a dynamic MPD must carry it), ignored for a
    /// complete one. Passed in so the writer stays pure.
    /// </param>
    /// <exception cref="ArgumentException">A growing manifest without <see cref="Manifest.GrowingSince"/> or <paramref name="publishTime"/>.</exception>
    public static string Write(Manifest manifest, DateTimeOffset? publishTime = null)
    {
        var maxSegment = manifest.Video.SelectMany(v => v.Segments)
            .Concat(manifest.AllAudioTracks.SelectMany(a => a.Segments))
            .Select(s => s.Duration)
            .DefaultIfEmpty(0)
            .Max();

        var period = new XElement(Dash + "Period", new XAttribute("id", "0"), new XAttribute("start", "PT0S"));
        period.Add(VideoSet(manifest.Video, !manifest.Complete));
        var setId = 1;
        foreach (var audio in manifest.AllAudioTracks)
        {
            period.Add(AudioSet(setId++, audio, !manifest.Complete));
        }

        // Caption sets follow the audio ones; with no audio they keep id 2, as before there were several tracks.
        setId = Math.Max(setId, 2);
        foreach (var caption in manifest.Captions ?? [])
        {
            period.Add(TextSet(setId++, caption));
        }

        var mpd = new XElement(Dash + "MPD", new XAttribute("profiles", "urn:mpeg:dash:profile:isoff-live:2011"));
        if (manifest.Complete)
        {
            mpd.Add(
                new XAttribute("type", "static"),
                new XAttribute("mediaPresentationDuration", Duration(manifest.Duration)));
        }
        else
        {
            mpd.Add(GrowingAttributes(manifest, publishTime));
        }

        mpd.Add(
            new XAttribute("maxSegmentDuration", Duration(maxSegment)),
            new XAttribute("minBufferTime", Duration(Math.Max(2, Math.Ceiling(maxSegment)))),
            period);
        if (!manifest.Complete)
        {
            // A dynamic MPD names a clock for players to align theirs with; without one dash.js asks a public time
            // server (and reports errors where there is none). The publish time itself is that clock, to within the
            // MPD's 1 s max-age, which is plenty while every listed segment is available (availabilityTimeOffset=INF).
            mpd.Add(new XElement(Dash + "UTCTiming",
                new XAttribute("schemeIdUri", "urn:mpeg:dash:utc:direct:2014"),
                new XAttribute("value", Instant(publishTime!.Value))));
        }

        var document = new XDocument(new XDeclaration("1.0", "utf-8", null), mpd);
        using var writer = new Utf8StringWriter();
        document.Save(writer, SaveOptions.None);
        return writer.ToString() + "\n";
    }

    /// <summary>
    /// A dynamic MPD whose presentation began when encoding did. No mediaPresentationDuration: the end is unknown
    /// until the static MPD replaces this one. The time-shift window is what lets a player start at 0 instead of at the
    /// live edge: players that place the window on the wall clock put its start at (now − availabilityStartTime −
    /// timeShiftBufferDepth), so the depth covers the time encoding has run so far plus the whole expected length,
    /// which keeps 0 inside the window for as long as the version can take to grow at the current pace.
    /// </summary>
    private static XAttribute[] GrowingAttributes(Manifest manifest, DateTimeOffset? publishTime)
    {
        var since = manifest.GrowingSince
            ?? throw new ArgumentException("a growing manifest needs GrowingSince (the dynamic MPD's availabilityStartTime)", nameof(manifest));
        var published = publishTime
            ?? throw new ArgumentException("a growing manifest's MPD needs its publish time", nameof(publishTime));
        var elapsed = Math.Max(0, (published - since).TotalSeconds);
        var length = Math.Max(manifest.ExpectedDuration ?? 0, manifest.Duration);
        return
        [
            new XAttribute("type", "dynamic"),
            new XAttribute("availabilityStartTime", Instant(since)),
            new XAttribute("publishTime", Instant(published)),
            new XAttribute("minimumUpdatePeriod", Duration(GrowingUpdatePeriod.TotalSeconds)),
            new XAttribute("timeShiftBufferDepth", Duration(Math.Ceiling(elapsed + length))),
        ];
    }

    private static XElement VideoSet(IReadOnlyList<VideoRendition> video, bool growing)
    {
        var set = new XElement(Dash + "AdaptationSet",
            new XAttribute("id", "0"),
            new XAttribute("contentType", "video"),
            new XAttribute("mimeType", "video/mp4"),
            new XAttribute("segmentAlignment", "true"),
            new XAttribute("startWithSAP", "1"),
            new XAttribute("maxWidth", video.Max(v => v.Width)),
            new XAttribute("maxHeight", video.Max(v => v.Height)));

        foreach (var v in video)
        {
            set.Add(new XElement(Dash + "Representation",
                new XAttribute("id", v.Id),
                new XAttribute("codecs", v.Codecs),
                new XAttribute("bandwidth", v.Bandwidth),
                new XAttribute("width", v.Width),
                new XAttribute("height", v.Height),
                new XAttribute("sar", "1:1"),
                Template(v.Timescale, v.Init, $"video/{v.Id}/seg_$Number%05d$.m4s", v.Segments, growing)));
        }

        return set;
    }

    /// <summary>One audio track: players offer the sets of a period by lang and Label and start with Role main.</summary>
    private static XElement AudioSet(int id, AudioRendition audio, bool growing) =>
        new(Dash + "AdaptationSet",
            new XAttribute("id", id),
            new XAttribute("contentType", "audio"),
            new XAttribute("mimeType", audio.MimeType),
            new XAttribute("segmentAlignment", "true"),
            new XAttribute("startWithSAP", "1"),
            new XAttribute("lang", audio.Lang ?? "und"),
            audio.Label is { } label ? new XElement(Dash + "Label", label) : null,
            audio.Default == true
                ? new XElement(Dash + "Role", new XAttribute("schemeIdUri", "urn:mpeg:dash:role:2011"), new XAttribute("value", "main"))
                : null,
            new XElement(Dash + "Representation",
                new XAttribute("id", audio.Id ?? AudioTrackPlan.IdOf(1)),
                new XAttribute("codecs", audio.Codecs),
                new XAttribute("bandwidth", audio.Bandwidth),
                new XAttribute("audioSamplingRate", audio.SamplingRate),
                new XElement(Dash + "AudioChannelConfiguration",
                    new XAttribute("schemeIdUri", "urn:mpeg:dash:23003:3:audio_channel_configuration:2011"),
                    new XAttribute("value", audio.Channels)),
                Template(audio.Timescale, audio.Init, Folder(audio.Init) + "seg_$Number%05d$.m4s", audio.Segments, growing)));

    /// <summary>"audio/2/init.mp4" → "audio/2/": a track's segments sit beside its init segment.</summary>
    private static string Folder(string initKey) => initKey[..(initKey.LastIndexOf('/') + 1)];

    /// <summary>
    /// A side-loaded WebVTT file: one representation whose BaseURL is the whole file (no segments), which DASH players
    /// (dash.js, Shaka) fetch once and show as a text track in the tag's language.
    /// </summary>
    private static XElement TextSet(int id, CaptionTrack caption) =>
        new(Dash + "AdaptationSet",
            new XAttribute("id", id),
            new XAttribute("contentType", "text"),
            new XAttribute("mimeType", "text/vtt"),
            new XAttribute("lang", caption.Lang),
            new XElement(Dash + "Label", caption.Label),
            new XElement(Dash + "Role", new XAttribute("schemeIdUri", "urn:mpeg:dash:role:2011"), new XAttribute("value", "subtitle")),
            new XElement(Dash + "Representation",
                new XAttribute("id", "captions-" + caption.Lang),
                new XAttribute("bandwidth", 256),
                new XElement(Dash + "BaseURL", caption.Url)));

    /// <summary>SegmentTemplate with a compact timeline: runs of equal d become one S with r.</summary>
    /// <param name="growing">
    /// In a dynamic MPD a segment counts as available only once the wall clock passes availabilityStartTime + its end.
    /// Encoding usually runs ahead of that clock, and every segment listed here is already uploaded, so
    /// availabilityTimeOffset="INF" says so: otherwise a player waits up to a segment's length for the first one and
    /// then plays with no buffer ahead, stalling at every boundary.
    /// </param>
    private static XElement Template(long timescale, string init, string media, IReadOnlyList<ManifestSegment> segments, bool growing)
    {
        var timeline = new XElement(Dash + "SegmentTimeline");
        XElement? last = null;
        long lastD = 0;
        long repeat = 0;
        long expected = -1;
        foreach (var s in segments)
        {
            if (last is not null && s.DurationTicks == lastD && s.StartTicks == expected)
            {
                repeat++;
                last.SetAttributeValue("r", repeat);
            }
            else
            {
                last = new XElement(Dash + "S");
                if (s.StartTicks != expected)
                {
                    last.Add(new XAttribute("t", s.StartTicks));
                }

                last.Add(new XAttribute("d", s.DurationTicks));
                timeline.Add(last);
                lastD = s.DurationTicks;
                repeat = 0;
            }

            expected = s.StartTicks + s.DurationTicks;
        }

        return new XElement(Dash + "SegmentTemplate",
            new XAttribute("timescale", timescale),
            new XAttribute("initialization", init),
            new XAttribute("media", media),
            new XAttribute("startNumber", 1),
            growing ? new XAttribute("availabilityTimeOffset", "INF") : null,
            timeline);
    }

    /// <summary>xs:duration with millisecond precision, e.g. PT6.014S.</summary>
    private static string Duration(double seconds) =>
        "PT" + Math.Round(seconds, 3).ToString("0.###", CultureInfo.InvariantCulture) + "S";

    /// <summary>xs:dateTime in UTC with milliseconds, e.g. 2026-12-06T23:00:00.250Z.</summary>
    private static string Instant(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private sealed class Utf8StringWriter : StringWriter
    {
        public Utf8StringWriter()
            : base(CultureInfo.InvariantCulture)
        {
        }

        public override System.Text.Encoding Encoding => new System.Text.UTF8Encoding(false);
    }
}

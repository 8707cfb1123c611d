using System.Xml.Linq;
using StreamForge.Media.Tests.Support;

namespace StreamForge.Media.Tests;

public class MpdWriterTests
{
    private static readonly XNamespace Dash = "urn:mpeg:dash:schema:mpd:2011";

    private static Manifest Manifest(bool audio = true)
    {
        var (ladder, rungs) = TestData.Ladder1080(audio);
        return ManifestBuilder.Build("v", TestData.Ffmpeg1080Mpd(), ladder, rungs, ManifestBuilder.Thumbnails(new MediaToolsOptions(), 1));
    }

    [Fact]
    public void Writes_a_static_live_profile_mpd()
    {
        var root = XDocument.Parse(MpdWriter.Write(Manifest())).Root!;
        Assert.Equal(Dash + "MPD", root.Name);
        Assert.Equal("static", (string?)root.Attribute("type"));
        Assert.Equal("urn:mpeg:dash:profile:isoff-live:2011", (string?)root.Attribute("profiles"));
        Assert.Equal("PT12.005S", (string?)root.Attribute("mediaPresentationDuration"));
        Assert.Equal("PT4.011S", (string?)root.Attribute("maxSegmentDuration"));
        Assert.NotNull(root.Attribute("minBufferTime"));

        var sets = root.Element(Dash + "Period")!.Elements(Dash + "AdaptationSet").ToList();
        Assert.Equal(["video", "audio"], sets.Select(s => (string?)s.Attribute("contentType")));
        Assert.Equal(4, sets[0].Elements(Dash + "Representation").Count());
    }

    [Fact]
    public void Round_trips_through_the_reader_with_the_final_paths()
    {
        var manifest = Manifest();
        var mpd = DashMpdReader.Parse(MpdWriter.Write(manifest));

        Assert.Equal(["360p", "480p", "720p", "1080p", "audio"], mpd.Representations.Select(r => r.Id));
        foreach (var video in manifest.Video)
        {
            var rep = mpd[video.Id];
            Assert.Equal((video.Codecs, video.Bandwidth, video.Width, video.Height), (rep.Codecs, rep.Bandwidth, rep.Width!.Value, rep.Height!.Value));
            Assert.Equal(video.Init, OutputLayout.ExpandTemplate(rep.Initialization!, rep.Id, 0));
            Assert.Equal(video.Segments.Select(s => s.Url), rep.Segments.Select(s => OutputLayout.ExpandTemplate(rep.Media!, rep.Id, s.Number)));
            Assert.Equal(video.Segments.Select(s => s.Start), rep.Segments.Select(s => Math.Round(s.Start, 6)));
            Assert.Equal(video.Segments.Select(s => s.Duration), rep.Segments.Select(s => Math.Round(s.Duration, 6)));
        }

        var audio = mpd["audio"];
        Assert.Equal(manifest.Audio!.Segments.Select(s => s.Url), audio.Segments.Select(s => OutputLayout.ExpandTemplate(audio.Media!, "audio", s.Number)));
        Assert.Equal([189440L, 191488L, 192512L, 2787L], audio.Segments.Select(s => s.DurationTicks));
        Assert.Equal((48000, 2, "mp4a.40.2"), (audio.AudioSamplingRate!.Value, audio.AudioChannels!.Value, audio.Codecs));
    }

    [Fact]
    public void Compacts_equal_durations_into_repeats()
    {
        var xml = MpdWriter.Write(Manifest());
        Assert.Contains("<S t=\"0\" d=\"61440\" r=\"2\" />", xml);
        Assert.Contains("<S t=\"0\" d=\"189440\" />", xml);
        Assert.Contains("<S d=\"191488\" />", xml);
    }

    [Fact]
    public void Without_audio_there_is_no_audio_set()
    {
        var root = XDocument.Parse(MpdWriter.Write(Manifest(audio: false))).Root!;
        Assert.Single(root.Descendants(Dash + "AdaptationSet"));
        Assert.Equal("PT12S", (string?)root.Attribute("mediaPresentationDuration"));
    }

    private static readonly DateTimeOffset EncodingBegan = new(2026, 12, 6, 23, 0, 0, 250, TimeSpan.Zero);

    /// <summary>The 12 s manifest as it is 6.5 s after encoding began: the first segment of every track published.</summary>
    private static Manifest Growing()
    {
        var full = Manifest();
        return full.WithAudioTracks([full.AudioTracks![0] with { Segments = full.AudioTracks[0].Segments.Take(1).ToList() }]) with
        {
            Video = full.Video.Select(v => v with { Segments = v.Segments.Take(1).ToList() }).ToList(),
            Duration = 4.0,
            Complete = false,
            ExpectedDuration = 12.005,
            SegmentCount = 1,
            GrowingSince = EncodingBegan,
        };
    }

    [Fact]
    public void A_growing_manifest_gives_a_dynamic_mpd_a_player_can_start_at_zero()
    {
        var published = EncodingBegan.AddSeconds(6.5);
        var root = XDocument.Parse(MpdWriter.Write(Growing(), published)).Root!;

        Assert.Equal("dynamic", (string?)root.Attribute("type"));
        Assert.Equal("2026-12-06T23:00:00.250Z", (string?)root.Attribute("availabilityStartTime"));
        Assert.Equal("2026-12-06T23:00:06.750Z", (string?)root.Attribute("publishTime"));
        Assert.Equal("PT2S", (string?)root.Attribute("minimumUpdatePeriod"));
        Assert.Null(root.Attribute("mediaPresentationDuration"));
        // The window reaches back past 0 from the wall-clock edge (6.5 s in) and over the whole expected length.
        var depth = System.Xml.XmlConvert.ToTimeSpan((string)root.Attribute("timeShiftBufferDepth")!).TotalSeconds;
        Assert.True(depth >= 6.5 + 12.005, $"timeShiftBufferDepth {depth}");
        Assert.Equal("PT0S", (string?)root.Element(Dash + "Period")!.Attribute("start"));
        var clock = root.Element(Dash + "UTCTiming")!;
        Assert.Equal(("urn:mpeg:dash:utc:direct:2014", "2026-12-06T23:00:06.750Z"), ((string?)clock.Attribute("schemeIdUri"), (string?)clock.Attribute("value")));
        Assert.True(root.Elements().Last() == clock, "UTCTiming follows the Period (MPD schema order)");
    }

    [Fact]
    public void A_dynamic_mpd_lists_only_the_published_segments_on_their_final_paths()
    {
        var growing = Growing();
        var mpd = DashMpdReader.Parse(MpdWriter.Write(growing, EncodingBegan.AddSeconds(6.5)));

        foreach (var video in growing.Video)
        {
            var rep = mpd[video.Id];
            Assert.Equal(["seg_00001.m4s"], rep.Segments.Select(s => Path.GetFileName(OutputLayout.ExpandTemplate(rep.Media!, rep.Id, s.Number))));
            Assert.Equal(video.Segments[0].DurationTicks, rep.Segments.Single().DurationTicks);
        }

        Assert.Equal([189440L], mpd["audio"].Segments.Select(s => s.DurationTicks));

        // Everything listed is uploaded: players need not wait for the wall clock to reach a segment's end.
        var templates = XDocument.Parse(MpdWriter.Write(growing, EncodingBegan.AddSeconds(6.5))).Descendants(Dash + "SegmentTemplate").ToList();
        Assert.Equal(5, templates.Count);
        Assert.All(templates, t => Assert.Equal("INF", (string?)t.Attribute("availabilityTimeOffset")));
    }

    [Fact]
    public void The_complete_manifest_stays_static_whatever_the_publish_time()
    {
        var manifest = Manifest();
        Assert.Equal(MpdWriter.Write(manifest), MpdWriter.Write(manifest, EncodingBegan));
        Assert.DoesNotContain("availabilityStartTime", MpdWriter.Write(manifest));
        Assert.DoesNotContain("availabilityTimeOffset", MpdWriter.Write(manifest));
        Assert.DoesNotContain("UTCTiming", MpdWriter.Write(manifest));
    }

    [Fact]
    public void A_growing_mpd_needs_its_start_and_publish_times()
    {
        Assert.Throws<ArgumentException>(() => MpdWriter.Write(Growing()));
        Assert.Throws<ArgumentException>(() => MpdWriter.Write(Growing() with { GrowingSince = null }, EncodingBegan));
    }
}

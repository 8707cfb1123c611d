using System.Xml.Linq;
using StreamForge.Media.Tests.Support;

namespace StreamForge.Media.Tests;

public class DashMpdReaderTests
{
    [Fact]
    public void Reads_every_representation_of_ffmpegs_mpd()
    {
        var mpd = TestData.Ffmpeg1080Mpd();

        Assert.Equal(12.0, mpd.MediaPresentationDuration);
        Assert.Equal(["0", "1", "2", "3", "4"], mpd.Representations.Select(r => r.Id));
        Assert.Equal(["avc1.4d401e", "avc1.4d401f", "avc1.64001f", "avc1.640028", "mp4a.40.2"], mpd.Representations.Select(r => r.Codecs));

        var v720 = mpd["2"];
        Assert.Equal("video", v720.ContentType);
        Assert.Equal("video/mp4", v720.MimeType);
        Assert.Equal(2_800_000, v720.Bandwidth);
        Assert.Equal(1280, v720.Width);
        Assert.Equal(720, v720.Height);
        Assert.Equal(15360, v720.Timescale);
        Assert.Equal(1, v720.StartNumber);
        Assert.Equal("init-$RepresentationID$.m4s", v720.Initialization);
        Assert.Equal("seg-$RepresentationID$-$Number%05d$.m4s", v720.Media);

        var audio = mpd["4"];
        Assert.Equal("audio", audio.ContentType);
        Assert.Equal("audio/mp4", audio.MimeType);
        Assert.Equal(48000, audio.AudioSamplingRate);
        Assert.Equal(2, audio.AudioChannels);
        Assert.Null(audio.Width);
    }

    [Fact]
    public void Expands_a_repeated_timeline_entry()
    {
        var segments = TestData.Ffmpeg1080Mpd()["0"].Segments;   // <S t="0" d="61440" r="2" />
        Assert.Equal([1, 2, 3], segments.Select(s => s.Number));
        Assert.Equal([0.0, 4.0, 8.0], segments.Select(s => s.Start));
        Assert.All(segments, s => Assert.Equal(4.0, s.Duration));
        Assert.Equal([0L, 61440L, 122880L], segments.Select(s => s.StartTicks));
    }

    [Fact]
    public void Continues_entries_without_t_from_the_previous_end()
    {
        var audio = TestData.Ffmpeg1080Mpd()["4"];
        Assert.Equal([189440L, 191488L, 192512L, 2787L], audio.Segments.Select(s => s.DurationTicks));
        Assert.Equal([0L, 189440L, 380928L, 573440L], audio.Segments.Select(s => s.StartTicks));
        Assert.Equal(189440 / 48000.0, audio.Segments[1].Start, 9);
        Assert.Equal(576227 / 48000.0, audio.End, 9);
    }

    [Fact]
    public void Honours_start_number_presentation_time_offset_and_open_repeat()
    {
        const string xml = """
            <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT10S">
              <Period>
                <AdaptationSet contentType="video" mimeType="video/mp4" codecs="avc1.64001f" width="1280" height="720">
                  <SegmentTemplate timescale="1000" presentationTimeOffset="500" startNumber="7" initialization="i.mp4" media="s$Number$.m4s">
                    <SegmentTimeline><S t="500" d="3000" r="-1"/></SegmentTimeline>
                  </SegmentTemplate>
                  <Representation id="a" bandwidth="100"/>
                </AdaptationSet>
              </Period>
            </MPD>
            """;
        var rep = DashMpdReader.Parse(xml).Representations.Single();

        Assert.Equal("avc1.64001f", rep.Codecs);          // inherited from the adaptation set
        Assert.Equal(1280, rep.Width);
        Assert.Equal([7, 8, 9, 10], rep.Segments.Select(s => s.Number));
        Assert.Equal([0.0, 3.0, 6.0, 9.0], rep.Segments.Select(s => s.Start));
    }

    [Fact]
    public void Rejects_a_timeline_entry_without_duration()
    {
        XNamespace ns = "urn:mpeg:dash:schema:mpd:2011";
        var timeline = new XElement(ns + "SegmentTimeline", new XElement(ns + "S", new XAttribute("t", 0)));
        Assert.Throws<FormatException>(() => DashMpdReader.ExpandTimeline(timeline, ns, 1000, 1, 0, null));
    }

    [Theory]
    [InlineData("PT6.0S", 6.0)]
    [InlineData("PT1M0.5S", 60.5)]
    [InlineData("PT1H2M3.25S", 3723.25)]
    [InlineData("garbage", null)]
    public void Parses_iso_durations(string text, double? seconds)
    {
        Assert.Equal(seconds, DashMpdReader.ParseIsoDuration(text));
    }
}

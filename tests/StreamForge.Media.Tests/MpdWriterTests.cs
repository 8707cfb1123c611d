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
}

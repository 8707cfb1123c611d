using System.Text.Json.Nodes;
using System.Xml.Linq;
using StreamForge.Media.Tests.Support;

namespace StreamForge.Media.Tests;

/// <summary>
/// A source with several audio streams: one AAC rendition per stream, named by its tags, in every index format.
/// The two-track ffmpeg MPD is the 12 s test MPD with its audio set repeated as representation 5, as ffmpeg writes it
/// for a second audio stream (its own set, cut on the same boundaries).
/// </summary>
public class AudioTracksTests
{
    private static readonly XNamespace Dash = "urn:mpeg:dash:schema:mpd:2011";

    private static ProbeResult TwoLanguageProbe(params AudioStreamInfo[] audio)
    {
        var probe = TestData.Probe(1920, 1080);
        AudioStreamInfo[] streams = audio.Length > 0 ? audio :
        [
            new AudioStreamInfo(1, "aac", 2, 44100, "eng", "English"),
            new AudioStreamInfo(2, "aac", 2, 44100, "fra", "Français"),
        ];
        return probe with { Audio = streams[0], AudioStreams = streams, StreamCount = 1 + streams.Length };
    }

    private static (LadderCommand Ladder, IReadOnlyList<Rung> Rungs) Ladder(ProbeResult? probe = null)
    {
        var rungs = LadderPlanner.Plan(1920, 1080, null);
        return (new FfmpegCommandBuilder(new MediaToolsOptions()).BuildLadder("/src/in.mp4", probe ?? TwoLanguageProbe(), rungs, new OutputLayout("/work")), rungs);
    }

    /// <summary>ffmpeg's MPD for the two-track ladder, cut to <paramref name="counts"/> segments per representation (null: all).</summary>
    private static string FfmpegMpdXml(int[]? counts = null)
    {
        var doc = XDocument.Parse(TestData.Read("ffmpeg-1080p-12s.mpd"));
        var period = doc.Root!.Element(Dash + "Period")!;
        var audioSet = period.Elements(Dash + "AdaptationSet").Single(s => (string?)s.Attribute("contentType") == "audio");
        var second = new XElement(audioSet);
        second.SetAttributeValue("id", "5");
        second.Element(Dash + "Representation")!.SetAttributeValue("id", "5");
        audioSet.AddAfterSelf(second);
        if (counts is not null)
        {
            doc.Root.SetAttributeValue("type", "dynamic");
            doc.Root.SetAttributeValue("mediaPresentationDuration", null);
            var full = DashMpdReader.Parse(doc.ToString());
            foreach (var rep in doc.Descendants(Dash + "Representation"))
            {
                var id = (string)rep.Attribute("id")!;
                rep.Descendants(Dash + "SegmentTimeline").Single().ReplaceNodes(full[id].Segments.Take(counts[int.Parse(id)])
                    .Select(s => new XElement(Dash + "S", new XAttribute("t", s.StartTicks), new XAttribute("d", s.DurationTicks))));
            }
        }

        return doc.ToString();
    }

    private static Manifest Build()
    {
        var (ladder, rungs) = Ladder();
        return ManifestBuilder.Build("vid-2", DashMpdReader.Parse(FfmpegMpdXml()), ladder, rungs, ManifestBuilder.Thumbnails(new MediaToolsOptions(), 1));
    }

    [Fact]
    public void Each_audio_stream_up_to_the_limit_becomes_a_track_named_by_its_tags()
    {
        var probe = TwoLanguageProbe(
            new AudioStreamInfo(1, "aac", 2, 48000, "EN-us", "Main mix"),
            new AudioStreamInfo(3, "ac3", 6, 48000, null, null),
            new AudioStreamInfo(4, "aac", 2, 48000, "not a tag!", "  Commentary\n "),
            new AudioStreamInfo(5, "aac", 2, 48000, "deu", null));

        var plan = AudioTrackPlan.Plan(probe, maxTracks: 3, firstRepresentationId: 4);

        Assert.Equal(
            [("audio", 1, "en-US", "Main mix", "4"), ("audio-2", 3, "und", "Track 2", "5"), ("audio-3", 4, "und", "Commentary", "6")],
            plan.Select(t => (t.Id, t.Stream.StreamIndex, t.Lang, t.Label, t.RepresentationId)));
        Assert.Empty(AudioTrackPlan.Plan(TestData.Probe(640, 360, audio: false), 8, 1));

        // A stream without a codec ffmpeg knows is left out rather than failing the encode.
        var undecodable = TwoLanguageProbe(new AudioStreamInfo(1, "unknown", 2, 48000, "eng", null), new AudioStreamInfo(2, "aac", 2, 48000, "fra", null));
        Assert.Equal([(2, "fra", "audio")], AudioTrackPlan.Plan(undecodable, 8, 4).Select(t => (t.Stream.StreamIndex, t.Lang, t.Id)));
    }

    [Fact]
    public void Ffmpeg_maps_every_audio_stream_into_a_set_of_its_own()
    {
        var (ladder, _) = Ladder();
        var line = FfmpegCommandBuilder.ToCommandLine("ffmpeg", ladder.Arguments);

        Assert.Contains(" -map 0:1 -map 0:2 -c:a aac -ac 2 -b:a 128000 -ar 48000 -f dash ", line);
        Assert.Contains("-adaptation_sets 'id=0,streams=0 id=1,streams=1 id=2,streams=2 id=3,streams=3 id=4,streams=4 id=5,streams=5'", line);
        Assert.Equal(["4", "5"], ladder.AudioTracks.Select(t => t.RepresentationId));
        Assert.Equal("4", ladder.AudioRepresentationId);

        var capped = new FfmpegCommandBuilder(new MediaToolsOptions { Limits = { MaxAudioTracks = 1 } })
            .BuildLadder("/src/in.mp4", TwoLanguageProbe(), LadderPlanner.Plan(1920, 1080, null), new OutputLayout("/work"));
        Assert.DoesNotContain("-map 0:2", FfmpegCommandBuilder.ToCommandLine("ffmpeg", capped.Arguments));
        Assert.Single(capped.AudioTracks);
    }

    [Fact]
    public void Manifest_json_lists_the_tracks_and_keeps_the_default_as_audio()
    {
        var manifest = Build();
        var json = JsonNode.Parse(ManifestJson.Serialize(manifest))!;

        var tracks = json["audioTracks"]!.AsArray();
        Assert.Equal(["audio", "audio-2"], tracks.Select(t => (string?)t!["id"]));
        Assert.Equal(["eng", "fra"], tracks.Select(t => (string?)t!["lang"]));
        Assert.Equal(["English", "Français"], tracks.Select(t => (string?)t!["label"]));
        Assert.Equal([true, false], tracks.Select(t => (bool)t!["default"]!));
        Assert.Equal(["audio/init.mp4", "audio/2/init.mp4"], tracks.Select(t => (string?)t!["init"]));
        Assert.Equal("audio/2/seg_00004.m4s", (string?)tracks[1]!["segments"]![3]!["url"]);
        Assert.Equal(["id", "lang", "label", "default", "codecs", "mimeType", "bandwidth", "init", "segments"], tracks[0]!.AsObject().Select(p => p.Key));

        // The one-track form older players read: the default track without the track fields.
        var audio = json["audio"]!.AsObject();
        Assert.Equal(["codecs", "mimeType", "bandwidth", "init", "segments"], audio.Select(p => p.Key));
        Assert.Equal("audio/init.mp4", (string?)audio["init"]);
    }

    [Fact]
    public void Mpd_has_an_adaptation_set_per_track_with_its_language_and_label()
    {
        var manifest = PlaybackIndexes.WithCaptions(Build(), [new CaptionTrack("de", "Deutsch", "captions/de.vtt")]);
        var root = XDocument.Parse(MpdWriter.Write(manifest)).Root!;
        var sets = root.Element(Dash + "Period")!.Elements(Dash + "AdaptationSet").ToList();

        Assert.Equal(["video", "audio", "audio", "text"], sets.Select(s => (string?)s.Attribute("contentType")));
        Assert.Equal(["0", "1", "2", "3"], sets.Select(s => (string?)s.Attribute("id")));
        var audio = sets.Where(s => (string?)s.Attribute("contentType") == "audio").ToList();
        Assert.Equal(["eng", "fra"], audio.Select(s => (string?)s.Attribute("lang")));
        Assert.Equal(["English", "Français"], audio.Select(s => (string?)s.Element(Dash + "Label")));
        Assert.Equal(["main", null], audio.Select(s => (string?)s.Element(Dash + "Role")?.Attribute("value")));

        var mpd = DashMpdReader.Parse(root.ToString());
        foreach (var track in manifest.AudioTracks!)
        {
            var rep = mpd[track.Id!];
            Assert.Equal(track.Init, OutputLayout.ExpandTemplate(rep.Initialization!, rep.Id, 0));
            Assert.Equal(track.Segments.Select(s => s.Url), rep.Segments.Select(s => OutputLayout.ExpandTemplate(rep.Media!, rep.Id, s.Number)));
        }
    }

    [Fact]
    public void Hls_master_has_one_audio_rendition_per_track_in_one_group_the_first_default()
    {
        var files = HlsWriter.Write(Build(), 30);
        var master = files[HlsWriter.MasterKey].Split('\n');

        Assert.Equal(
        [
            "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",NAME=\"English\",LANGUAGE=\"eng\",DEFAULT=YES,AUTOSELECT=YES,CHANNELS=\"2\",URI=\"audio/index.m3u8\"",
            "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",NAME=\"Français\",LANGUAGE=\"fra\",DEFAULT=NO,AUTOSELECT=YES,CHANNELS=\"2\",URI=\"audio/2/index.m3u8\"",
        ],
            master.Where(l => l.StartsWith("#EXT-X-MEDIA:TYPE=AUDIO", StringComparison.Ordinal)));
        Assert.All(master.Where(l => l.StartsWith("#EXT-X-STREAM-INF:", StringComparison.Ordinal)), v => Assert.Contains(",AUDIO=\"audio\"", v));
        Assert.Contains("#EXT-X-MAP:URI=\"init.mp4\"", files["audio/2/index.m3u8"]);
        Assert.Contains("\nseg_00001.m4s\n", files["audio/2/index.m3u8"]);
    }

    [Fact]
    public void Equal_labels_get_their_language_so_names_stay_unique()
    {
        var manifest = Build();
        manifest = manifest.WithAudioTracks([manifest.AudioTracks![0] with { Label = "Stereo" }, manifest.AudioTracks[1] with { Label = "Stereo" }]);
        var master = HlsWriter.Write(manifest, 30)[HlsWriter.MasterKey];
        Assert.Contains("NAME=\"Stereo\",LANGUAGE=\"eng\"", master);
        Assert.Contains("NAME=\"Stereo (fra)\",LANGUAGE=\"fra\"", master);
    }

    [Fact]
    public void Restore_reads_every_track_back_with_its_ticks()
    {
        var manifest = Build();
        var files = PlaybackIndexes.Write(manifest, 30).ToDictionary(f => f.Key, f => f.Value);
        var restored = PlaybackIndexes.Restore(files[OutputLayout.ManifestJsonKey], files[OutputLayout.ManifestMpdKey]);

        Assert.Equal(MpdWriter.Write(manifest), MpdWriter.Write(restored));
        Assert.Equal(HlsWriter.Write(manifest, 30), HlsWriter.Write(restored, 30));
        Assert.Equal(ManifestJson.Serialize(manifest), ManifestJson.Serialize(restored));
    }

    [Fact]
    public void A_manifest_from_before_audio_tracks_reads_as_one_track_of_unknown_language()
    {
        var json = JsonNode.Parse(ManifestJson.Serialize(Build()))!.AsObject();
        json.Remove("audioTracks");
        var legacy = ManifestJson.Deserialize(json.ToJsonString());

        var track = Assert.Single(legacy.AllAudioTracks);
        Assert.Equal(("audio", "und", "Track 1", true, "audio/init.mp4"), (track.Id, track.Lang, track.Label, track.Default, track.Init));
        Assert.DoesNotContain("audioTracks", ManifestJson.Serialize(legacy));
    }

    [Fact]
    public void The_growing_manifest_waits_for_every_track_and_carries_them_all()
    {
        var (ladder, rungs) = Ladder();
        var output = new GrowingOutput("vid-2", new OutputLayout("/work"), ladder, rungs, new MediaToolsOptions(), 12.02, 30, DateTimeOffset.UnixEpoch);
        static HashSet<string> Files(params int[] closed) =>
            closed.SelectMany((n, id) => Enumerable.Range(1, n).Select(k => $"seg-{id}-{k:00000}.m4s").Append($"init-{id}.m4s")).ToHashSet();

        // The second audio track has no closed segment yet: its files are not there, and no manifest goes up.
        var waiting = output.Interpret(FfmpegMpdXml([1, 1, 1, 1, 1, 0]), Files(1, 1, 1, 1, 1, 0), []);
        Assert.Null(waiting.Manifest);
        Assert.DoesNotContain(waiting.Files, f => f.Key.StartsWith("audio/2/", StringComparison.Ordinal));

        var snapshot = output.Interpret(FfmpegMpdXml([2, 2, 2, 2, 2, 2]), Files(2, 2, 2, 2, 2, 2), []);
        Assert.Equal("/work/dash/init-5.m4s", snapshot.Files.Single(f => f.Key == "audio/2/init.mp4").LocalPath);
        Assert.Equal("/work/dash/seg-5-00002.m4s", snapshot.Files.Single(f => f.Key == "audio/2/seg_00002.m4s").LocalPath);
        var manifest = snapshot.Manifest!;
        Assert.False(manifest.Complete);
        Assert.Equal(["audio", "audio-2"], manifest.AudioTracks!.Select(t => t.Id));
        Assert.All(manifest.AudioTracks!, t => Assert.Equal(2, t.Segments.Count));
        Assert.Equal(2, DashMpdReader.Parse(output.Indexes(manifest, DateTimeOffset.UnixEpoch.AddSeconds(9)).Single(i => i.Key == OutputLayout.ManifestMpdKey).Value)
            .Representations.Count(r => r.ContentType == "audio"));
    }

    [Fact]
    public void Probe_reads_every_audio_stream_with_its_language_and_title()
    {
        var probe = ProbeParser.Parse("""
            {"format":{"format_name":"matroska,webm","duration":"5.0"},
             "streams":[
              {"index":0,"codec_type":"video","codec_name":"h264","width":640,"height":360,"avg_frame_rate":"25/1"},
              {"index":1,"codec_type":"audio","codec_name":"aac","channels":2,"sample_rate":"48000","tags":{"language":"eng","title":"English"}},
              {"index":2,"codec_type":"subtitle","codec_name":"subrip"},
              {"index":3,"codec_type":"audio","codec_name":"opus","channels":6,"sample_rate":"48000","tags":{"LANGUAGE":"fre"}}]}
            """);

        Assert.Equal(
            [new AudioStreamInfo(1, "aac", 2, 48000, "eng", "English"), new AudioStreamInfo(3, "opus", 6, 48000, "fre", null)],
            probe.AllAudio);
        Assert.Equal(probe.AllAudio[0], probe.Audio);
    }

    [Fact]
    public async Task A_two_language_source_gives_two_aac_tracks_cut_like_the_video()
    {
        using var clip = await ProcessedClip.RunAsync(await Clips.TwoLanguages());
        var manifest = ManifestJson.Deserialize(File.ReadAllText(clip.PathOf(OutputLayout.ManifestJsonKey)));

        Assert.Equal([("audio", "eng", "English", true), ("audio-2", "fra", "Français", false)],
            manifest.AudioTracks!.Select(t => (t.Id!, t.Lang!, t.Label!, t.Default!.Value)));
        var video = manifest.Video[0].Segments;
        foreach (var track in manifest.AudioTracks!)
        {
            // Aligned: as many segments as the video, each starting within an AAC frame or two of the video's.
            Assert.Equal(video.Count, track.Segments.Count(s => s.Duration > HlsWriter.NegligibleAudioTail));
            Assert.All(track.Segments.Take(video.Count).Zip(video), p => Assert.InRange(p.First.Start - p.Second.Start, -0.1, 0.1));
            Assert.True(File.Exists(clip.PathOf(track.Init)));
            Assert.All(track.Segments, s => Assert.True(File.Exists(clip.PathOf(s.Url)), s.Url));
        }

        // Each track encodes its own stream: the AAC encoder is deterministic, so a second copy of the first stream would
        // give the same bytes.
        Assert.NotEqual(File.ReadAllBytes(clip.PathOf("audio/seg_00001.m4s")), File.ReadAllBytes(clip.PathOf("audio/2/seg_00001.m4s")));
        Assert.Equal("audio/mp4", MediaContentTypes.Of("audio/2/seg_00001.m4s"));
        Assert.Contains("audio/2/index.m3u8", File.ReadAllText(clip.PathOf(HlsWriter.MasterKey)));
        Assert.Equal(2, DashMpdReader.Parse(File.ReadAllText(clip.PathOf(OutputLayout.ManifestMpdKey))).Representations.Count(r => r.ContentType == "audio"));
    }
}

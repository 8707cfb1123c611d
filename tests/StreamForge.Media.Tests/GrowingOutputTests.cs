using System.Xml.Linq;
using StreamForge.Media.Tests.Support;

namespace StreamForge.Media.Tests;

/// <summary>
/// What the growing publisher may upload while ffmpeg runs, read from ffmpeg's interim MPD and the files present
/// (ffmpeg 5.1 writes segment.tmp, renames it when closed, then rewrites the MPD; sprites are written in place).
/// </summary>
public class GrowingOutputTests
{
    private static readonly DateTimeOffset Since = new(2026, 12, 6, 22, 0, 0, TimeSpan.Zero);
    private static readonly OutputLayout Layout = new("/work");

    private static GrowingOutput Output(bool audio = true)
    {
        var (ladder, rungs) = TestData.Ladder1080(audio);
        return new GrowingOutput("vid-1", Layout, ladder, rungs, new MediaToolsOptions(), 12.02, 30, Since);
    }

    /// <summary>
    /// The test MPD as ffmpeg rewrites it while encoding: dynamic, no duration, each representation's timeline cut to
    /// <paramref name="counts"/>[id] segments (video ids 0..3, audio 4).
    /// </summary>
    private static string Interim(params int[] counts)
    {
        var doc = XDocument.Parse(TestData.Read("ffmpeg-1080p-12s.mpd"));
        XNamespace ns = "urn:mpeg:dash:schema:mpd:2011";
        doc.Root!.SetAttributeValue("type", "dynamic");
        doc.Root.SetAttributeValue("mediaPresentationDuration", null);
        foreach (var rep in doc.Descendants(ns + "Representation"))
        {
            var id = int.Parse((string)rep.Attribute("id")!);
            var timeline = rep.Descendants(ns + "SegmentTimeline").Single();
            var segments = DashMpdReader.Parse(TestData.Read("ffmpeg-1080p-12s.mpd"))[id.ToString()].Segments;
            timeline.ReplaceNodes(segments.Take(counts[id]).Select(s => new XElement(ns + "S", new XAttribute("t", s.StartTicks), new XAttribute("d", s.DurationTicks))));
        }

        return doc.ToString();
    }

    /// <summary>Init segments of representations 0..4 and the renamed (closed) segments 1..n of each, plus .tmp of the next.</summary>
    private static HashSet<string> Files(params int[] closed)
    {
        var files = new HashSet<string>();
        for (var id = 0; id < closed.Length; id++)
        {
            files.Add($"init-{id}.m4s");
            for (var n = 1; n <= closed[id]; n++)
            {
                files.Add($"seg-{id}-{n:00000}.m4s");
            }

            files.Add($"seg-{id}-{closed[id] + 1:00000}.m4s.tmp");
        }

        return files;
    }

    [Fact]
    public void Before_the_first_mpd_nothing_is_closed_not_even_the_init_segments_ffmpeg_creates_empty()
    {
        var snapshot = Output().Interpret(null, Files(0, 0, 0, 0, 0), []);
        Assert.Empty(snapshot.Files);
        Assert.Null(snapshot.Manifest);
    }

    [Fact]
    public void One_closed_segment_per_track_gives_the_first_growing_manifest()
    {
        var snapshot = Output().Interpret(Interim(1, 1, 1, 1, 1), Files(1, 1, 1, 1, 1), []);

        Assert.Equal(
            ["video/360p/init.mp4", "video/360p/seg_00001.m4s", "video/480p/init.mp4", "video/480p/seg_00001.m4s",
             "video/720p/init.mp4", "video/720p/seg_00001.m4s", "video/1080p/init.mp4", "video/1080p/seg_00001.m4s",
             "audio/init.mp4", "audio/seg_00001.m4s"],
            snapshot.Files.Select(f => f.Key));
        Assert.Equal("/work/dash/seg-3-00001.m4s", snapshot.Files.Single(f => f.Key == "video/1080p/seg_00001.m4s").LocalPath);
        Assert.Equal("/work/dash/init-4.m4s", snapshot.Files.Single(f => f.Key == "audio/init.mp4").LocalPath);

        var manifest = snapshot.Manifest!;
        Assert.False(manifest.Complete);
        Assert.Equal(1, manifest.SegmentCount);
        Assert.Equal(12.02, manifest.ExpectedDuration);
        Assert.Equal(Since, manifest.GrowingSince);
        // The audio's first segment ends at 3.947 s, before the video's at 4.0: the shorter track bounds the duration.
        Assert.Equal(Math.Round(189440 / 48000.0, 3), manifest.Duration);
        Assert.All(manifest.Video, v => Assert.Equal([$"video/{v.Id}/seg_00001.m4s"], v.Segments.Select(s => s.Url)));
        Assert.Equal(["audio/seg_00001.m4s"], manifest.Audio!.Segments.Select(s => s.Url));
        Assert.Equal("poster.jpg", manifest.Poster);
        Assert.Empty(manifest.Thumbnails.Sprites);
    }

    [Fact]
    public void A_segment_the_mpd_lists_but_still_named_tmp_is_not_closed_and_no_manifest_goes_up_without_every_track()
    {
        var files = Files(1, 1, 1, 1, 1);
        files.Remove("seg-3-00001.m4s");
        files.Add("seg-3-00001.m4s.tmp");
        var snapshot = Output().Interpret(Interim(1, 1, 1, 1, 1), files, []);

        Assert.Null(snapshot.Manifest);
        Assert.DoesNotContain(snapshot.Files, f => f.Key.StartsWith("video/1080p/", StringComparison.Ordinal));
        Assert.Contains(snapshot.Files, f => f.Key == "video/360p/seg_00001.m4s");
        Assert.DoesNotContain(snapshot.Files, f => f.LocalPath.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void A_renamed_segment_the_mpd_does_not_list_yet_waits_for_the_next_mpd()
    {
        var snapshot = Output().Interpret(Interim(1, 1, 1, 1, 1), Files(2, 2, 2, 2, 2), []);
        Assert.DoesNotContain(snapshot.Files, f => f.Key.EndsWith("seg_00002.m4s", StringComparison.Ordinal));
        Assert.Equal(1, snapshot.Manifest!.SegmentCount);
    }

    [Fact]
    public void A_track_without_its_init_file_is_not_closed()
    {
        var files = Files(1, 1, 1, 1, 1);
        files.Remove("init-4.m4s");
        var snapshot = Output().Interpret(Interim(1, 1, 1, 1, 1), files, []);
        Assert.Null(snapshot.Manifest);
        Assert.DoesNotContain(snapshot.Files, f => f.Key.StartsWith("audio/", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_rung_lists_the_fewest_segments_any_rung_closed_and_the_audio_what_starts_before_the_video_ends()
    {
        var snapshot = Output().Interpret(Interim(3, 3, 2, 3, 4), Files(3, 3, 2, 3, 4), []);

        // Everything closed goes up...
        Assert.Contains(snapshot.Files, f => f.Key == "video/360p/seg_00003.m4s");
        Assert.Contains(snapshot.Files, f => f.Key == "audio/seg_00004.m4s");
        // ...but the manifest lists the same number for every rung.
        var manifest = snapshot.Manifest!;
        Assert.Equal(2, manifest.SegmentCount);
        Assert.All(manifest.Video, v => Assert.Equal(2, v.Segments.Count));
        // Audio segment 3 starts at 7.93 s < 8.0 (the video's end) and is listed; 4 starts after it and is not.
        Assert.Equal(3, manifest.Audio!.Segments.Count);
        Assert.Equal(8.0, manifest.Duration);
    }

    [Fact]
    public void Without_audio_the_video_alone_decides()
    {
        var snapshot = Output(audio: false).Interpret(Interim(2, 2, 2, 2, 0), Files(2, 2, 2, 2), []);
        Assert.Null(snapshot.Manifest!.Audio);
        Assert.Equal(8.0, snapshot.Manifest.Duration);
        Assert.DoesNotContain(snapshot.Files, f => f.Key.StartsWith("audio/", StringComparison.Ordinal));
    }

    [Fact]
    public void A_sprite_sheet_is_complete_once_the_next_one_exists()
    {
        var output = Output();
        var mpd = Interim(1, 1, 1, 1, 1);
        Assert.Empty(output.Interpret(mpd, Files(1, 1, 1, 1, 1), ["sprite_001.jpg"]).Manifest!.Thumbnails.Sprites);

        var snapshot = output.Interpret(mpd, Files(1, 1, 1, 1, 1), ["sprite_001.jpg", "sprite_002.jpg"]);
        Assert.Equal(["thumbs/sprite_001.jpg"], snapshot.Manifest!.Thumbnails.Sprites.Select(s => s.Url));
        Assert.Equal("/work/thumbs/sprite_001.jpg", snapshot.Files.Single(f => f.Key == "thumbs/sprite_001.jpg").LocalPath);
        Assert.DoesNotContain(snapshot.Files, f => f.Key == "thumbs/sprite_002.jpg");

        // Sprites do not wait for the MPD.
        Assert.Equal(["thumbs/sprite_001.jpg"], output.Interpret(null, [], ["sprite_001.jpg", "sprite_002.jpg"]).Files.Select(f => f.Key));
    }

    [Fact]
    public void The_manifest_names_only_files_of_its_own_snapshot()
    {
        var snapshot = Output().Interpret(Interim(3, 2, 3, 3, 3), Files(3, 2, 3, 3, 3), ["sprite_001.jpg", "sprite_002.jpg"]);
        var keys = snapshot.Files.Select(f => f.Key).ToHashSet();
        var manifest = snapshot.Manifest!;
        var named = manifest.Video.SelectMany(v => v.Segments.Select(s => s.Url).Prepend(v.Init))
            .Concat(manifest.Audio!.Segments.Select(s => s.Url).Prepend(manifest.Audio.Init))
            .Concat(manifest.Thumbnails.Sprites.Select(s => s.Url));
        Assert.All(named, url => Assert.Contains(url, keys));
    }

    [Fact]
    public void Keys_are_the_ones_the_final_layout_gives_the_same_files()
    {
        // At the end every file is closed: the growing keys must equal what Arrange moves each ffmpeg file to.
        var (ladder, rungs) = TestData.Ladder1080();
        var final = TestData.Ffmpeg1080Mpd();
        var manifest = ManifestBuilder.Build("vid-1", final, ladder, rungs, ManifestBuilder.Thumbnails(new MediaToolsOptions(), 0));
        var expected = new Dictionary<string, string>();
        for (var i = 0; i < rungs.Count; i++)
        {
            var rep = final[ladder.VideoRepresentationIds[i]];
            var video = manifest.Video.Single(v => v.Id == rungs[i].Id);
            expected[$"/work/dash/init-{rep.Id}.m4s"] = video.Init;
            for (var k = 0; k < rep.Segments.Count; k++)
            {
                expected[$"/work/dash/{OutputLayout.ExpandTemplate(rep.Media!, rep.Id, rep.Segments[k].Number)}"] = video.Segments[k].Url;
            }
        }

        var audioRep = final["4"];
        expected["/work/dash/init-4.m4s"] = manifest.Audio!.Init;
        for (var k = 0; k < audioRep.Segments.Count; k++)
        {
            expected[$"/work/dash/{OutputLayout.ExpandTemplate(audioRep.Media!, "4", audioRep.Segments[k].Number)}"] = manifest.Audio.Segments[k].Url;
        }

        var snapshot = Output().Interpret(TestData.Read("ffmpeg-1080p-12s.mpd"), Files(3, 3, 3, 3, 4), []);
        Assert.Equal(expected.OrderBy(e => e.Key), snapshot.Files.ToDictionary(f => f.LocalPath, f => f.Key).OrderBy(e => e.Key));
    }

    [Fact]
    public void Keys_count_from_one_whatever_number_ffmpeg_started_at()
    {
        var mpd = Interim(1, 1, 1, 1, 1).Replace("startNumber=\"1\"", "startNumber=\"7\"", StringComparison.Ordinal);
        var files = Enumerable.Range(0, 5).SelectMany(id => new[] { $"init-{id}.m4s", $"seg-{id}-00007.m4s" }).ToHashSet();
        var snapshot = Output().Interpret(mpd, files, []);
        Assert.Equal("video/360p/seg_00001.m4s", snapshot.Files.Single(f => f.LocalPath == "/work/dash/seg-0-00007.m4s").Key);
        Assert.NotNull(snapshot.Manifest);
    }

    [Fact]
    public void Growing_indexes_put_the_vtt_first_and_manifest_json_last()
    {
        var output = Output();
        var manifest = output.Interpret(Interim(2, 2, 2, 2, 2), Files(2, 2, 2, 2, 2), ["sprite_001.jpg", "sprite_002.jpg"]).Manifest!;
        var indexes = output.Indexes(manifest, Since.AddSeconds(9));
        Assert.Equal(OutputLayout.ThumbsVttKey, indexes[0].Key);
        Assert.Equal(OutputLayout.ManifestJsonKey, indexes[^1].Key);
        Assert.Contains("type=\"dynamic\"", indexes.Single(i => i.Key == OutputLayout.ManifestMpdKey).Value);
        Assert.Contains(indexes, i => i.Key == HlsWriter.MasterKey);
        var json = System.Text.Json.JsonDocument.Parse(indexes[^1].Value).RootElement;
        Assert.False(json.GetProperty("complete").GetBoolean());
        Assert.Equal(2, json.GetProperty("segmentCount").GetInt32());
        Assert.Equal(12.02, json.GetProperty("expectedDuration").GetDouble());
        // Cues for the published sheet only, up to where the published media ends (audio: 7.936 s; tiles at 0 and 4 s).
        var cues = indexes[0].Value.Split('\n').Count(l => l.Contains("-->", StringComparison.Ordinal));
        Assert.Equal(2, cues);
        Assert.Contains("00:00:04.000 --> 00:00:07.936", indexes[0].Value);
    }

    [Fact]
    public void Read_looks_at_the_real_folders()
    {
        using var dir = new TempDir();
        var layout = new OutputLayout(dir.Path);
        layout.Prepare();
        var (ladder, rungs) = TestData.Ladder1080();
        ladder = ladder with { ManifestPath = Path.Combine(layout.DashDirectory, FfmpegCommandBuilder.DashManifestName) };
        var output = new GrowingOutput("vid-1", layout, ladder, rungs, new MediaToolsOptions(), 12, 30, Since);
        Assert.Empty(output.Read().Files);

        foreach (var name in Files(1, 1, 1, 1, 1))
        {
            File.WriteAllText(Path.Combine(layout.DashDirectory, name), "x");
        }

        File.WriteAllText(ladder.ManifestPath, Interim(1, 1, 1, 1, 1));
        var snapshot = output.Read();
        Assert.Equal(10, snapshot.Files.Count);
        Assert.All(snapshot.Files, f => Assert.True(File.Exists(f.LocalPath), f.LocalPath));
        Assert.NotNull(snapshot.Manifest);
    }
}

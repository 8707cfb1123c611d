using System.Globalization;
using System.Text.RegularExpressions;
using StreamForge.Media.Tests.Support;

namespace StreamForge.Media.Tests;

/// <summary>Processes one 6 s 1920x1080 clip with audio (real ffmpeg) and checks everything about the result.</summary>
public sealed class Processed1080Fixture : IAsyncLifetime
{
    public ProcessedClip Clip { get; private set; } = null!;

    public async Task InitializeAsync() => Clip = await ProcessedClip.RunAsync(await Clips.Landscape1080WithAudio(), videoId: "vid-1080");

    public Task DisposeAsync()
    {
        Clip.Dispose();
        return Task.CompletedTask;
    }
}

public partial class MediaProcessor1080Tests(Processed1080Fixture fixture) : IClassFixture<Processed1080Fixture>
{
    private ProcessedMedia Media => fixture.Clip.Media;

    private Manifest Manifest => Media.Manifest;

    [Fact]
    public void Probe_describes_the_source()
    {
        Assert.Equal((1920, 1080), (Media.Probe.Video.DisplayWidth, Media.Probe.Video.DisplayHeight));
        Assert.Equal(6.0, Media.Probe.DurationSeconds, 1);
        Assert.True(Media.Probe.HasAudio);
    }

    [Fact]
    public void Four_rungs_360_to_1080_with_exact_codec_strings()
    {
        Assert.Equal(["360p", "480p", "720p", "1080p"], Manifest.Video.Select(v => v.Id));
        Assert.Equal(["640x360", "854x480", "1280x720", "1920x1080"], Manifest.Video.Select(v => $"{v.Width}x{v.Height}"));
        Assert.All(Manifest.Video, v => Assert.Matches("^avc1\\.[0-9a-f]{6}$", v.Codecs));
        Assert.Equal("mp4a.40.2", Manifest.Audio!.Codecs);
        Assert.Equal("vid-1080", Manifest.VideoId);
        Assert.InRange(Manifest.Duration, 5.95, 6.1);
    }

    [Fact]
    public void Every_rung_cuts_at_the_same_instants()
    {
        var reference = Manifest.Video[0].Segments.Select(s => s.Start).ToList();
        Assert.Equal(2, reference.Count);   // 6 s at 4 s segments
        Assert.All(Manifest.Video, v => Assert.Equal(reference, v.Segments.Select(s => s.Start)));
        Assert.All(Manifest.Video, v => Assert.Equal(Manifest.Video[0].Segments.Select(s => s.Duration), v.Segments.Select(s => s.Duration)));
    }

    [Fact]
    public async Task Each_segment_duration_matches_ffprobe_of_init_plus_segment_and_decodes_alone()
    {
        using var scratch = new TempDir();
        var frame = 1 / Media.Probe.Video.FrameRate;
        foreach (var video in Manifest.Video)
        {
            await AssertSegmentDurations(scratch, video.Init, video.Segments, tolerance: frame);
        }

        await AssertSegmentDurations(scratch, Manifest.Audio!.Init, Manifest.Audio.Segments, tolerance: 1024.0 / 48000);
    }

    [Fact]
    public async Task Init_plus_all_segments_of_each_rendition_decode_without_error()
    {
        using var scratch = new TempDir();
        var tracks = Manifest.Video.Select(v => (v.Id, v.Init, v.Segments)).Append(("audio", Manifest.Audio!.Init, Manifest.Audio.Segments));
        foreach (var (id, init, segments) in tracks)
        {
            var concat = scratch.File($"{id}.mp4");
            Tools.Concat(concat, segments.Select(s => fixture.Clip.PathOf(s.Url)).Prepend(fixture.Clip.PathOf(init)));
            Assert.Equal("", await Tools.DecodeErrorsAsync(concat));
        }
    }

    [Fact]
    public async Task Our_mpd_lists_the_same_renditions_and_ffprobe_can_open_it()
    {
        var mpd = DashMpdReader.Read(fixture.Clip.PathOf("manifest.mpd"));
        Assert.Equal(Manifest.Video.Select(v => v.Id).Append("audio"), mpd.Representations.Select(r => r.Id));
        foreach (var video in Manifest.Video)
        {
            Assert.Equal(video.Codecs, mpd[video.Id].Codecs);
            Assert.Equal(video.Segments.Select(s => s.Start), mpd[video.Id].Segments.Select(s => Math.Round(s.Start, 6)));
        }

        Assert.Equal(["video,640,360", "video,854,480", "video,1280,720", "video,1920,1080", "audio"], await Tools.StreamsAsync(fixture.Clip.PathOf("manifest.mpd")));
    }

    [Fact]
    public async Task Thumbnail_sprites_exist_and_vtt_cues_cover_the_duration()
    {
        var sprite = Assert.Single(Manifest.Thumbnails.Sprites);
        Assert.Equal((1600, 900), await Tools.ImageSizeAsync(fixture.Clip.PathOf(sprite.Url)));
        Assert.Equal((640, 360), await Tools.ImageSizeAsync(fixture.Clip.PathOf(Manifest.Poster)));

        var vtt = File.ReadAllText(fixture.Clip.PathOf(Manifest.Thumbnails.Vtt));
        Assert.StartsWith("WEBVTT", vtt);
        var cues = CueLine().Matches(vtt).Select(m => (Start: Seconds(m.Groups[1].Value), End: Seconds(m.Groups[2].Value), File: m.Groups[3].Value)).ToList();
        Assert.Equal(2, cues.Count);
        Assert.Equal(0, cues[0].Start);
        for (var i = 1; i < cues.Count; i++)
        {
            Assert.Equal(cues[i - 1].End, cues[i].Start);
        }

        Assert.Equal(Manifest.Duration, cues[^1].End, 3);
        Assert.All(cues, c => Assert.True(File.Exists(Path.Combine(fixture.Clip.PathOf("thumbs"), c.File))));
    }

    [Fact]
    public void Output_files_are_the_whole_output_folder_with_types_and_cache_policies()
    {
        var onDisk = Directory.EnumerateFiles(Media.OutputRoot, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Media.OutputRoot, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
        Assert.Equal(onDisk, Media.OutputFiles.Select(f => f.Key).Order(StringComparer.Ordinal));
        Assert.Equal("manifest.json", Media.OutputFiles[^1].Key);
        Assert.All(Media.OutputFiles, f => Assert.Equal(new FileInfo(f.LocalPath).Length, f.Length));
        Assert.Contains(Media.OutputFiles, f => f.Key == "video/1080p/seg_00002.m4s" && f.ContentType == "video/mp4" && f.CachePolicy == CachePolicy.Immutable);
        Assert.Contains(Media.OutputFiles, f => f.Key == "manifest.mpd" && f.CachePolicy == CachePolicy.Short);

        var json = ManifestJson.Deserialize(File.ReadAllText(fixture.Clip.PathOf("manifest.json")));
        Assert.Equal(Manifest.Video.Select(v => v.Segments.Count), json.Video.Select(v => v.Segments.Count));
        Assert.All(json.Video.SelectMany(v => v.Segments.Select(s => s.Url).Prepend(v.Init)), url => Assert.True(File.Exists(fixture.Clip.PathOf(url)), url));
    }

    [Fact]
    public void Progress_rises_to_one_at_most_about_once_a_second()
    {
        var values = fixture.Clip.Progress;
        Assert.NotEmpty(values);
        Assert.Equal(1.0, values[^1]);
        Assert.Equal(values.Order(), values);
        Assert.All(values.SkipLast(1), v => Assert.InRange(v, 0, 0.98));
    }

    private async Task AssertSegmentDurations(TempDir scratch, string init, IReadOnlyList<ManifestSegment> segments, double tolerance)
    {
        foreach (var segment in segments)
        {
            var concat = scratch.File(segment.Url.Replace('/', '_') + ".mp4");
            Tools.Concat(concat, [fixture.Clip.PathOf(init), fixture.Clip.PathOf(segment.Url)]);
            var measured = await Tools.PacketSpanAsync(concat);
            Assert.True(Math.Abs(measured - segment.Duration) <= tolerance + 1e-6,
                $"{segment.Url}: manifest says {segment.Duration} s, ffprobe measures {measured} s");

            // Every segment starts on a keyframe: init + that segment alone decodes cleanly (what an ABR switch does).
            Assert.Equal("", await Tools.DecodeErrorsAsync(concat));
        }
    }

    private static double Seconds(string timestamp) => TimeSpan.ParseExact(timestamp, @"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture).TotalSeconds;

    [GeneratedRegex(@"(\d\d:\d\d:\d\d\.\d\d\d) --> (\d\d:\d\d:\d\d\.\d\d\d)\n([^#\n]+)#xywh=\d+,\d+,\d+,\d+")]
    private static partial Regex CueLine();
}

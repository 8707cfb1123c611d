using System.Globalization;
using System.Text.Json;
using StreamForge.Media.Tests.Support;

namespace StreamForge.Media.Tests;

/// <summary>The real tools: captions written into a processed version, and a rung remuxed into one MP4 without re-encoding.</summary>
public sealed class RemuxAndCaptionOutputTests
{
    private static readonly CaptionFile English = new("en", "English", CaptionConverter.Convert("1\n00:00:00,500 --> 00:00:02,000\nHi\n").Vtt);

    [Fact]
    public async Task Processing_with_captions_writes_them_beside_the_media_and_into_every_index()
    {
        using var work = new TempDir("sfm-captions");
        var media = await new MediaProcessor(ProcessedClip.TestOptions())
            .ProcessAsync(await Clips.Landscape480(), work.Path, "vid", null, null, CancellationToken.None, [English]);

        var vtt = media.OutputFiles.Single(f => f.Key == "captions/en.vtt");
        Assert.Equal(("text/vtt", CachePolicy.Short), (vtt.ContentType, vtt.CachePolicy));
        Assert.Equal(English.Vtt, await File.ReadAllTextAsync(vtt.LocalPath));
        Assert.Contains(media.OutputFiles, f => f.Key == "captions/en.m3u8");
        Assert.Equal("manifest.json", media.OutputFiles[^1].Key);
        Assert.Equal([English.Track], media.Manifest.Captions);
        Assert.Contains("SUBTITLES=\"subs\"", await File.ReadAllTextAsync(Path.Combine(media.OutputRoot, "master.m3u8")));
        Assert.Contains("mimeType=\"text/vtt\"", await File.ReadAllTextAsync(Path.Combine(media.OutputRoot, "manifest.mpd")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_rung_remuxes_into_one_faststart_mp4_of_the_whole_duration(bool audio)
    {
        using var clip = await ProcessedClip.RunAsync(audio ? await Clips.Landscape480() : await Clips.NoAudio());
        var manifest = clip.Media.Manifest;
        var rung = manifest.Video[^1];
        var videoPath = Join(clip, rung.Init, rung.Segments, "video.mp4");
        var audioPath = manifest.Audio is { } a ? Join(clip, a.Init, a.Segments, "audio.mp4") : null;
        Assert.Equal(audio, audioPath is not null);

        var output = Path.Combine(clip.WorkDir, "download.mp4");
        await new RenditionRemuxer(ProcessedClip.TestOptions()).RemuxAsync(clip.WorkDir, videoPath, audioPath, output, CancellationToken.None);

        var probe = JsonDocument.Parse(await Tools.OutputAsync("ffprobe", ["-v", "error", "-show_format", "-show_streams", "-of", "json", output])).RootElement;
        var streams = probe.GetProperty("streams").EnumerateArray().ToList();
        var video = streams.Single(s => s.GetProperty("codec_type").GetString() == "video");
        Assert.Equal(("h264", rung.Width, rung.Height), (video.GetProperty("codec_name").GetString(), video.GetProperty("width").GetInt32(), video.GetProperty("height").GetInt32()));
        Assert.Equal(audio ? 1 : 0, streams.Count(s => s.GetProperty("codec_type").GetString() == "audio"));
        var duration = double.Parse(probe.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(duration, manifest.Duration - 0.15, manifest.Duration + 0.15);
        var bytes = await File.ReadAllBytesAsync(output);
        Assert.True(bytes.AsSpan().IndexOf("moov"u8) < bytes.AsSpan().IndexOf("mdat"u8), "not faststart");
        // A copy, not an encode: the video stream's size is the segments' payload, far from a re-encode's.
        Assert.True(bytes.Length < new FileInfo(videoPath).Length + (audioPath is null ? 0 : new FileInfo(audioPath).Length) + 64_000);
    }

    [Fact]
    public async Task A_remux_of_a_broken_input_fails_with_ffmpegs_words()
    {
        using var work = new TempDir("sfm-remux-bad");
        var bad = Path.Combine(work.Path, "video.mp4");
        await File.WriteAllTextAsync(bad, "not an mp4 at all");
        var e = await Assert.ThrowsAsync<MediaException>(() =>
            new RenditionRemuxer(ProcessedClip.TestOptions()).RemuxAsync(work.Path, bad, null, Path.Combine(work.Path, "out.mp4"), CancellationToken.None));
        Assert.False(e.IsPermanent);
        Assert.Contains("remux", e.Message);
        Assert.DoesNotContain(work.Path, e.Message);
    }

    private static string Join(ProcessedClip clip, string init, IReadOnlyList<ManifestSegment> segments, string name)
    {
        var path = Path.Combine(clip.WorkDir, name);
        using var output = File.Create(path);
        foreach (var key in segments.Select(s => s.Url).Prepend(init))
        {
            using var input = File.OpenRead(clip.PathOf(key));
            input.CopyTo(output);
        }

        return path;
    }
}

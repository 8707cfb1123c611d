using StreamForge.Media.Tests.Support;
using StreamForge.Tests.Infrastructure;

namespace StreamForge.Media.Tests;

/// <summary>The pipeline on sources of other shapes, and on sources that are not media at all.</summary>
public class MediaProcessorSourceTests
{
    [Fact]
    public async Task A_480p_source_is_not_upscaled()
    {
        using var clip = await ProcessedClip.RunAsync(await Clips.Landscape480());
        Assert.Equal(["360p", "480p"], clip.Media.Manifest.Video.Select(v => v.Id));
        Assert.Equal(["640x360", "854x480"], clip.Media.Manifest.Video.Select(v => $"{v.Width}x{v.Height}"));
    }

    [Fact]
    public async Task A_portrait_source_gets_portrait_rungs()
    {
        using var clip = await ProcessedClip.RunAsync(await Clips.Portrait1080(), maxQuality: 720);
        var video = clip.Media.Manifest.Video;
        Assert.Equal(["360x640", "480x854", "720x1280"], video.Select(v => $"{v.Width}x{v.Height}"));
        Assert.Equal((720, 1280), await Tools.ImageSizeAsync(Concat(clip, video[^1])));
        var (posterWidth, posterHeight) = await Tools.ImageSizeAsync(clip.PathOf("poster.jpg"));
        Assert.True(posterWidth < posterHeight);
    }

    [Fact]
    public async Task A_source_without_audio_has_null_audio_and_works()
    {
        using var clip = await ProcessedClip.RunAsync(await Clips.NoAudio());
        Assert.Null(clip.Media.Manifest.Audio);
        Assert.Contains("\"audio\": null", File.ReadAllText(clip.PathOf("manifest.json")));
        Assert.DoesNotContain(clip.Media.OutputFiles, f => f.Key.StartsWith("audio/", StringComparison.Ordinal));
        Assert.Equal(["video,640,360"], await Tools.StreamsAsync(clip.PathOf("manifest.mpd")));
        Assert.Equal("", await Tools.DecodeErrorsAsync(Concat(clip, clip.Media.Manifest.Video[0])));
    }

    [Fact]
    public async Task An_odd_853x481_source_gets_even_dimensions()
    {
        using var clip = await ProcessedClip.RunAsync(await Clips.Odd853x481());
        Assert.Equal((853, 481, "yuv444p"), (clip.Media.Probe.Video.Width, clip.Media.Probe.Video.Height, clip.Media.Probe.Video.PixelFormat));
        Assert.Equal(["638x360", "852x480"], clip.Media.Manifest.Video.Select(v => $"{v.Width}x{v.Height}"));
        var top = Concat(clip, clip.Media.Manifest.Video[^1]);
        Assert.Equal((852, 480), await Tools.ImageSizeAsync(top));
        Assert.Equal("yuv420p", (await Tools.OutputAsync("ffprobe", "-v", "error", "-show_entries", "stream=pix_fmt", "-of", "csv=p=0", top)).Trim());
    }

    [Fact]
    public async Task A_one_second_240p_clip_gets_one_rung_at_its_size_and_a_thumbnail()
    {
        using var clip = await ProcessedClip.RunAsync(await Clips.OneSecond240());
        var rung = Assert.Single(clip.Media.Manifest.Video);
        Assert.Equal(("240p", 320, 240), (rung.Id, rung.Width, rung.Height));
        Assert.Single(clip.Media.Manifest.Thumbnails.Sprites);
        Assert.Equal("WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nsprite_001.jpg#xywh=0,0,160,90\n", File.ReadAllText(clip.PathOf("thumbs/thumbs.vtt")));
    }

    [Fact]
    public async Task A_text_file_named_mp4_fails_permanently_with_a_readable_message()
    {
        using var dir = new TempDir();
        var source = dir.File("notes.mp4");
        await File.WriteAllTextAsync(source, "these are my holiday notes, not a video\n");

        var ex = await Assert.ThrowsAsync<MediaException>(() => Process(source, dir));
        Assert.True(ex.IsPermanent);
        Assert.StartsWith("This file is not a video we accept (it looks like a text file).", ex.Message);
        Assert.DoesNotContain(dir.Path, ex.Message);
    }

    [Fact]
    public async Task A_truncated_mp4_fails_permanently()
    {
        using var dir = new TempDir();
        var bytes = await File.ReadAllBytesAsync(await Clips.Landscape480());
        var source = dir.File("truncated.mp4");
        await File.WriteAllBytesAsync(source, bytes[..(int)(bytes.Length * 0.3)]);

        var ex = await Assert.ThrowsAsync<MediaException>(() => Process(source, dir));
        Assert.True(ex.IsPermanent);
        Assert.Contains("moov atom not found", ex.Message);
    }

    [Fact]
    public async Task An_audio_only_file_fails_permanently()
    {
        using var dir = new TempDir();
        var source = await Clips.AudioOnly();
        var ex = await Assert.ThrowsAsync<MediaException>(() => Process(source, dir));
        Assert.True(ex.IsPermanent);
        Assert.Equal("the file has no video stream (it contains only audio)", ex.Message);
    }

    [Fact]
    public async Task A_missing_source_is_transient()
    {
        using var dir = new TempDir();
        var ex = await Assert.ThrowsAsync<MediaException>(() => Process(dir.File("gone.mp4"), dir));
        Assert.False(ex.IsPermanent);
    }

    [Fact]
    public async Task An_ffmpeg_failure_carries_the_stderr_tail()
    {
        using var dir = new TempDir();
        var options = ProcessedClip.TestOptions();
        options.Preset = "no-such-preset";
        var source = await Clips.NoAudio();
        var ex = await Assert.ThrowsAsync<MediaException>(() => new MediaProcessor(options).ProcessAsync(source, dir.File("work"), "v", null));
        Assert.False(ex.IsPermanent);
        Assert.StartsWith("ffmpeg (encoding) failed (exit code", ex.Message);
        Assert.Contains("no-such-preset", ex.ToolOutput);
    }

    [Fact]
    public async Task Cancelling_mid_encode_kills_ffmpeg_and_propagates()
    {
        using var dir = new TempDir("sfm-cancel");
        var workDir = dir.File("work");   // unique: finds our ffmpeg with pgrep -f
        var options = ProcessedClip.TestOptions();
        // Slow enough that the encode is still running when the test looks, even on a busy machine (it is killed).
        options.Preset = "veryslow";
        using var cts = new CancellationTokenSource();
        var run = new MediaProcessor(options).ProcessAsync(await Clips.Long360(), workDir, "v", null, new InlineProgress(_ => { }), cts.Token);
        // The encode writes into workDir: cancel once that ffmpeg is in the process table. No progress line is awaited,
        // because veryslow on a loaded machine can take a minute to report one.
        var running = await Eventually.ValueAsync(() => Tools.PgrepAsync(workDir), found => found != "" || run.IsCompleted,
            TimeSpan.FromSeconds(90), _ => "no ffmpeg writing into the work folder");
        Assert.NotEqual("", running);

        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal("", await Tools.PgrepAsync(workDir));
    }

    [Fact]
    public async Task A_run_past_its_timeout_is_killed_and_fails_permanently_with_a_plain_message()
    {
        using var dir = new TempDir("sfm-timeout");
        var workDir = dir.File("work");
        var options = ProcessedClip.TestOptions();
        options.Preset = "medium";
        options.MinimumTimeout = TimeSpan.FromSeconds(1);
        options.TimeoutPerMediaSecond = 0;

        var source = await Clips.Long360();
        var ex = await Assert.ThrowsAsync<MediaException>(() => new MediaProcessor(options).ProcessAsync(source, workDir, "v", null));
        // A retry would run out of time again, holding a worker for the whole timeout each time.
        Assert.True(ex.IsPermanent, ex.ToString());
        Assert.Equal("Processing took longer than the 1 s allowed for a video of 1 min and was stopped. " +
            "Upload it at a lower resolution or frame rate, or shorter.", ex.Message);
        Assert.Equal("", await Tools.PgrepAsync(workDir));
    }

    [Fact]
    public async Task A_real_source_over_the_pixel_budget_is_refused_before_ffmpeg_runs()
    {
        using var dir = new TempDir("sfm-budget");
        var workDir = dir.File("work");
        var options = ProcessedClip.TestOptions();
        // 640x360 at 30 fps is 6.9 million pixels a second: over a lowered budget, each single limit still met.
        options.Limits.MaxPixelsPerSecond = 5_000_000;
        var source = await Clips.NoAudio();
        var ex = await Assert.ThrowsAsync<MediaException>(() => new MediaProcessor(options).ProcessAsync(source, workDir, "v", null));
        Assert.True(ex.IsPermanent);
        Assert.Equal("This video needs 6.91 million pixels per second (640x360 at 30 frames per second); the limit is 5 million. " +
            "Upload it at a lower resolution or frame rate.", ex.Message);
        Assert.False(Directory.Exists(Path.Combine(workDir, "dash")) && Directory.EnumerateFiles(Path.Combine(workDir, "dash")).Any());

        options.Limits.MaxPixelsPerSecond = 250_000_000;
        options.Limits.MaxTotalPixels = 10_000_000; // 3 s of it is 20.7 million
        ex = await Assert.ThrowsAsync<MediaException>(() => new MediaProcessor(options).ProcessAsync(source, workDir, "v", null));
        Assert.StartsWith("This video needs 20.7 million pixels in all (640x360 at 30 frames per second for 3 s); the limit is 10 million.", ex.Message);
    }

    private static Task<ProcessedMedia> Process(string source, TempDir dir) =>
        new MediaProcessor(ProcessedClip.TestOptions()).ProcessAsync(source, dir.File("work"), "v", null);

    private static string Concat(ProcessedClip clip, VideoRendition video)
    {
        var target = Path.Combine(clip.WorkDir, $"check-{video.Id}.mp4");
        Tools.Concat(target, video.Segments.Select(s => clip.PathOf(s.Url)).Prepend(clip.PathOf(video.Init)));
        return target;
    }

    private sealed class InlineProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}

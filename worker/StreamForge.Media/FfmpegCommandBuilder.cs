using System.Globalization;

namespace StreamForge.Media;

/// <summary>
/// The one place that builds ffmpeg arguments, from a small typed plan (probe + rungs + options).
/// Pure: nothing is run here, so a unit test can read the result as a string.
/// </summary>
public sealed class FfmpegCommandBuilder(MediaToolsOptions options)
{
    public const string DashManifestName = "manifest.mpd";
    public const string SpritePattern = "sprite_%03d.jpg";

    /// <summary>
    /// ONE process for everything the video needs, so the source is decoded once: every rung (libx264, keyframes
    /// forced every <see cref="MediaToolsOptions.SegmentSeconds"/> on time so every rung cuts at the same instants,
    /// AAC stereo for each audio stream of the source, DASH fMP4 into <see cref="OutputLayout.DashDirectory"/>), the thumbnail
    /// sprite sheets into <see cref="OutputLayout.ThumbsDirectory"/> and the poster; progress on stdout.
    /// </summary>
    public LadderCommand BuildLadder(string sourcePath, ProbeResult probe, IReadOnlyList<Rung> rungs, OutputLayout layout)
    {
        ArgumentOutOfRangeException.ThrowIfZero(rungs.Count);
        var seg = Num(options.SegmentSeconds);
        // The source is opened like ffprobe opened it (local file, real containers only), and read for no longer than
        // the capped duration: a file whose real length exceeds what its header claims cannot run on.
        var args = new List<string> { "-hide_banner", "-nostdin", "-y", "-v", "error" };
        args.AddRange(InputGuard.TranscodeInputOptions(probe.FormatName));
        // Reading stops at the duration limit even when the file is longer than its header said. Not at the probed
        // duration: for containers without an index ffprobe estimates it, and a low estimate would cut real video.
        args.AddRange(["-t", Num(options.Limits.MaxDuration.TotalSeconds), "-i", Path.GetFullPath(sourcePath)]);
        args.AddRange(["-filter_complex", BuildGraph(probe, rungs)]);

        for (var i = 0; i < rungs.Count; i++)
        {
            var rung = rungs[i];
            args.AddRange([
                "-map", $"[v{i}]",
                $"-c:v:{i}", "libx264",
                $"-profile:v:{i}", rung.Profile,
                $"-b:v:{i}", Num(rung.VideoBitrate),
                $"-maxrate:v:{i}", Num(rung.MaxRate),
                $"-bufsize:v:{i}", Num(rung.BufferSize),
            ]);
        }

        args.AddRange([
            "-preset", options.Preset,
            "-force_key_frames", $"expr:gte(t,n_forced*{seg})",
            "-sc_threshold", "0",
            "-pix_fmt", "yuv420p",
        ]);

        // Every audio stream (up to the limit) as its own AAC stereo track; -c:a and the rest apply to all of them.
        var audio = AudioTrackPlan.Plan(probe, options.Limits.MaxAudioTracks, rungs.Count);
        foreach (var track in audio)
        {
            args.AddRange(["-map", $"0:{track.Stream.StreamIndex}"]);
        }

        if (audio.Count > 0)
        {
            args.AddRange(["-c:a", "aac", "-ac", "2", "-b:a", Num(options.AudioBitrate), "-ar", "48000"]);
        }

        if (options.Threads > 0)
        {
            args.AddRange(["-threads", Num(options.Threads)]);
        }

        // One adaptation set per video rung: ffmpeg 5.1's DASH muxer refuses a set whose streams differ in
        // aspect ratio by a rounding pixel (854x480 vs 1280x720). The uploaded MPD is ours (MpdWriter),
        // which groups the rungs again, so this MPD is only read for segment timing.
        // Each audio track in a set of its own too: a set is one language, and the segments of each are cut on the same
        // seg_duration boundaries as the video's.
        var sets = Enumerable.Range(0, rungs.Count + audio.Count).Select(i => $"id={i},streams={i}").ToList();

        var manifestPath = Path.Combine(layout.DashDirectory, DashManifestName);
        args.AddRange([
            "-f", "dash",
            "-dash_segment_type", "mp4",
            // B-frames as negative composition offsets (trun v1), not an edit list: the first frame is presented at its
            // tfdt, as hls.js (which ignores edit lists) and DASH-IF's live profile (no edit lists in video) expect.
            "-format_options", "movflags=+negative_cts_offsets",
            "-seg_duration", seg,
            "-use_template", "1",
            "-use_timeline", "1",
            "-init_seg_name", "init-$RepresentationID$.m4s",
            "-media_seg_name", "seg-$RepresentationID$-$Number%05d$.m4s",
            "-adaptation_sets", string.Join(' ', sets),
            "-progress", "pipe:1",
            "-nostats",
            manifestPath,
        ]);

        // Options after the DASH output belong to these two image outputs only. -fps_mode passthrough stops
        // ffmpeg from repeating sprite sheets to keep a constant frame rate.
        args.AddRange(["-map", "[thumbs]", "-fps_mode", "passthrough", "-q:v", "4", Path.Combine(layout.ThumbsDirectory, SpritePattern)]);
        args.AddRange(["-map", "[poster]", "-fps_mode", "passthrough", "-q:v", "3", "-update", "1", layout.PosterPath]);

        return new LadderCommand(
            args,
            manifestPath,
            Enumerable.Range(0, rungs.Count).Select(Num).ToList(),
            audio);
    }

    /// <summary>
    /// The filter graph: the decoded picture goes three ways. The ladder scales the largest rung from the source and
    /// every smaller rung from the rung above it (a 720p frame is 2.25× cheaper to shrink to 480p than a 1080p one;
    /// measured 4% of the whole transcode's CPU on a 1080p source). Thumbnails keep tile i = the first frame at or
    /// after i × <see cref="MediaToolsOptions.ThumbnailIntervalSeconds"/> (the instants the ladder forces keyframes
    /// at), fitted into the tile with black bars and tiled columns×rows per sheet; <c>fps=1/4</c> would round to the
    /// nearest frame and give a 1 s clip no tile. The poster is the first frame at a tenth of the duration. Both
    /// drop frames before scaling, so they cost little more than the decode they share.
    /// ffmpeg autorotates while decoding, so scaling to the display size keeps the picture upright.
    /// </summary>
    private string BuildGraph(ProbeResult probe, IReadOnlyList<Rung> rungs)
    {
        var chains = new List<string> { $"[0:{probe.Video.StreamIndex}]split=3[ladder][thumbs_in][poster_in]" };

        var largestFirst = Enumerable.Range(0, rungs.Count).OrderByDescending(i => (long)rungs[i].Width * rungs[i].Height).ToList();
        var input = "ladder";
        for (var k = 0; k < largestFirst.Count; k++)
        {
            var i = largestFirst[k];
            var scale = $"[{input}]scale={rungs[i].Width}:{rungs[i].Height}:flags=bicubic,setsar=1,format=yuv420p";
            var last = k == largestFirst.Count - 1;
            chains.Add(last ? $"{scale}[v{i}]" : $"{scale},split=2[v{i}][from{i}]");
            input = $"from{i}";
        }

        var (w, h) = ThumbnailSize(probe.Video);
        var tw = options.ThumbnailWidth;
        var th = options.ThumbnailHeight;
        chains.Add($"[thumbs_in]select=gte(t\\,{Num(options.ThumbnailIntervalSeconds)}*selected_n),scale={w}:{h}:flags=bicubic,"
            + $"pad={tw}:{th}:{(tw - w) / 2}:{(th - h) / 2}:color=black,setsar=1,tile={options.SpriteColumns}x{options.SpriteRows}[thumbs]");

        var (pw, ph) = PosterSize(probe.Video);
        var posterAt = Num(Math.Round(probe.DurationSeconds * 0.1, 3));
        chains.Add($"[poster_in]select=isnan(prev_selected_t)*gte(t\\,{posterAt}),scale={pw}:{ph}:flags=bicubic,setsar=1[poster]");
        return string.Join(';', chains);
    }

    /// <summary>The picture inside one tile: the display size fitted into the tile box, even dimensions.</summary>
    public (int Width, int Height) ThumbnailSize(VideoStreamInfo video)
    {
        var scale = Math.Min((double)options.ThumbnailWidth / video.DisplayWidth, (double)options.ThumbnailHeight / video.DisplayHeight);
        return (
            Math.Clamp(LadderPlanner.Even(video.DisplayWidth * scale), 2, options.ThumbnailWidth),
            Math.Clamp(LadderPlanner.Even(video.DisplayHeight * scale), 2, options.ThumbnailHeight));
    }

    public (int Width, int Height) PosterSize(VideoStreamInfo video) => PosterSize(video.DisplayWidth, video.DisplayHeight);

    /// <summary>The poster box of a picture shown at this size: at most <see cref="MediaToolsOptions.PosterMaxWidth"/> wide, even dimensions.</summary>
    public (int Width, int Height) PosterSize(int displayWidth, int displayHeight)
    {
        var width = Math.Max(2, LadderPlanner.Even(Math.Min(options.PosterMaxWidth, displayWidth)));
        if (width > options.PosterMaxWidth)
        {
            width -= 2;
        }

        return (width, Math.Max(2, LadderPlanner.Even((double)width * displayHeight / displayWidth)));
    }

    /// <summary>
    /// A chosen poster from one frame: <paramref name="trackPath"/> is the init + one segment of a rung (our own output,
    /// opened like any source), seeked accurately to the first frame at or after <paramref name="offsetSeconds"/> from
    /// its start, scaled to the poster box like the worker's own poster.
    /// </summary>
    public IReadOnlyList<string> BuildPosterFrame(string trackPath, double offsetSeconds, int width, int height, string outputPath)
    {
        var args = new List<string> { "-hide_banner", "-nostdin", "-y", "-v", "error" };
        args.AddRange(InputGuard.TranscodeInputOptions("mov,mp4,m4a,3gp,3g2,mj2"));
        args.AddRange(["-ss", Num(Math.Max(0, offsetSeconds)), "-i", Path.GetFullPath(trackPath)]);
        args.AddRange(["-map", "0:v:0", "-frames:v", "1", "-vf", $"scale={width}:{height}:flags=bicubic,setsar=1"]);
        return PosterOutput(args, outputPath);
    }

    /// <summary>
    /// An uploaded poster image decoded and re-encoded as a baseline JPEG, so no byte of the upload is published. The
    /// input is read as a local file through exactly one image demuxer (<see cref="ImageHeader.Demuxer"/>: never
    /// image2, which expands file patterns), with the decoder's own pixel limit as a second line behind the header
    /// check; it is shrunk to at most <paramref name="maxWidth"/> wide, keeping its aspect ratio.
    /// </summary>
    public IReadOnlyList<string> BuildPosterImage(string imagePath, ImageHeader image, long maxPixels, int maxWidth, string outputPath)
    {
        var args = new List<string>
        {
            "-hide_banner", "-nostdin", "-y", "-v", "error",
            "-protocol_whitelist", "file", "-format_whitelist", image.Demuxer, "-f", image.Demuxer,
            "-max_pixels", Num(maxPixels), "-i", Path.GetFullPath(imagePath),
            "-map", "0:v:0", "-frames:v", "1",
            "-vf", $"scale=w='min(iw,{Num(maxWidth)})':h=-2:flags=bicubic,setsar=1,format=yuvj420p",
        };
        return PosterOutput(args, outputPath);
    }

    private IReadOnlyList<string> PosterOutput(List<string> args, string outputPath)
    {
        if (options.Threads > 0)
        {
            args.AddRange(["-threads", Num(options.Threads)]);
        }

        args.AddRange(["-q:v", "3", "-f", "image2", "-update", "1", Path.GetFullPath(outputPath)]);
        return args;
    }

    /// <summary>
    /// One rung as a single downloadable MP4: the rung's fragmented MP4 (init + segments joined) and the audio track's,
    /// copied without re-encoding (<c>-c copy</c>) into a progressive MP4 with the index up front (<c>+faststart</c>), so
    /// it starts playing while it downloads. The inputs are our own outputs, yet they are opened like any source:
    /// local files only, through the mp4 demuxer only.
    /// </summary>
    public IReadOnlyList<string> BuildRemux(string videoPath, string? audioPath, string outputPath)
    {
        var args = new List<string> { "-hide_banner", "-nostdin", "-y", "-v", "error" };
        args.AddRange(InputGuard.TranscodeInputOptions("mov,mp4,m4a,3gp,3g2,mj2"));
        args.AddRange(["-i", Path.GetFullPath(videoPath)]);
        if (audioPath is not null)
        {
            args.AddRange(InputGuard.TranscodeInputOptions("mov,mp4,m4a,3gp,3g2,mj2"));
            args.AddRange(["-i", Path.GetFullPath(audioPath)]);
        }

        args.AddRange(["-map", "0:v:0"]);
        if (audioPath is not null)
        {
            args.AddRange(["-map", "1:a:0"]);
        }

        if (options.Threads > 0)
        {
            args.AddRange(["-threads", Num(options.Threads)]);
        }

        args.AddRange(["-c", "copy", "-movflags", "+faststart", "-f", "mp4", Path.GetFullPath(outputPath)]);
        return args;
    }

    /// <summary>A shell-like rendering of a command for logs and tests (quotes arguments that need it).</summary>
    public static string ToCommandLine(string fileName, IReadOnlyList<string> arguments) =>
        string.Join(' ', new[] { fileName }.Concat(arguments.Select(Quote)));

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,+%".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string Num(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);
}

namespace StreamForge.Media;

/// <summary>
/// Turns a local source file into the local output folder of the playback contract (docs/architecture.md) and its manifest. The steps, in order:
/// probe → plan the ladder → one ffmpeg for rungs, thumbnails and poster → read ffmpeg's MPD → final layout →
/// manifest.json + manifest.mpd. While ffmpeg runs, an optional watcher (the worker's growing publisher) reads its
/// closed output through a <see cref="GrowingOutput"/>; it is stopped and awaited before the files are moved.
/// No storage, no database: the caller downloads the source, uploads <see cref="ProcessedMedia.OutputFiles"/> and
/// deletes the work dir.
/// </summary>
public sealed class MediaProcessor
{
    public const double LadderProgressShare = 0.95;

    public const string UndecodableMessage = "No picture in the file could be decoded; it is damaged or uses a format we cannot read";

    private readonly MediaToolsOptions _options;
    private readonly ProcessRunner _runner;
    private readonly Ffprobe _ffprobe;
    private readonly FfmpegCommandBuilder _commands;
    private readonly TimeProvider _clock;

    public MediaProcessor(MediaToolsOptions options, ProcessRunner? runner = null, TimeProvider? clock = null)
    {
        _options = options;
        _clock = clock ?? TimeProvider.System;
        _runner = runner ?? new ProcessRunner();
        _ffprobe = new Ffprobe(options, _runner);
        _commands = new FfmpegCommandBuilder(options);
    }

    /// <param name="sourcePath">The downloaded source file.</param>
    /// <param name="workDir">
    /// A folder owned by this job (the source may live in it); ffmpeg writes to <c>dash/</c> and <c>thumbs/</c> in it,
    /// outputs land in <c>out/</c>. Those three are emptied first, so a retry can reuse the folder. The caller deletes it.
    /// </param>
    /// <param name="maxQuality">The user's cap on the short side (360, 480, 720, 1080) or null.</param>
    /// <param name="captions">Caption tracks the video already has: reprocessing keeps them in the new version.</param>
    /// <param name="progress">Receives 0..1 at most about once per second (the ladder is 0..0.95), and 1 at the end.</param>
    /// <exception cref="MediaException">IsPermanent: not media, no video, corrupt. Otherwise transient (retry).</exception>
    /// <param name="whileEncoding">
    /// Started with ffmpeg, given its output as a <see cref="GrowingOutput"/> and a token that fires when ffmpeg has
    /// exited: it then finishes what it is doing and returns. ProcessAsync awaits it before it moves or returns anything,
    /// so nothing it does can happen after the caller has seen ProcessAsync end. Should it fail, ffmpeg is killed and
    /// its exception is what ProcessAsync throws.
    /// </param>
    /// <exception cref="OperationCanceledException">Cancelled; ffmpeg has been killed and has exited.</exception>
    public async Task<ProcessedMedia> ProcessAsync(
        string sourcePath,
        string workDir,
        string videoId,
        int? maxQuality,
        IProgress<double>? progress = null,
        CancellationToken cancellationToken = default,
        IReadOnlyList<CaptionFile>? captions = null,
        Func<GrowingOutput, CancellationToken, Task>? whileEncoding = null)
    {
        var report = Reporter(progress);
        var layout = new OutputLayout(workDir);
        layout.Prepare();
        var probe = await _ffprobe.ProbeAsync(sourcePath, cancellationToken, layout.WorkDir).ConfigureAwait(false);
        _options.Limits.Check(probe);
        var rungs = LadderPlanner.Plan(probe.Video, maxQuality);

        // From the capped figure, never from what the header claims alone.
        var mediaSeconds = Math.Min(probe.DurationSeconds, _options.Limits.MaxDuration.TotalSeconds);
        var timeout = _options.MinimumTimeout + TimeSpan.FromSeconds(mediaSeconds * _options.TimeoutPerMediaSecond);
        using var timeoutCts = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        // The watcher's failure kills ffmpeg through this token; the job's own cancellation and the timeout reach it too.
        using var encodeStop = CancellationTokenSource.CreateLinkedTokenSource(linked.Token);
        var ffmpeg = new FfmpegRun(_runner, _options.FfmpegPath, [Path.GetFullPath(sourcePath), layout.WorkDir], layout.WorkDir, encodeStop.Token);
        try
        {
            var ladder = _commands.BuildLadder(sourcePath, probe, rungs, layout);
            var growing = new GrowingOutput(videoId, layout, ladder, rungs, _options, probe.DurationSeconds, probe.Video.FrameRate, _clock.GetUtcNow());
            await WatchedAsync(EncodeAsync(ffmpeg, ladder, probe, layout, report), growing, whileEncoding, encodeStop).ConfigureAwait(false);
            report(0.98);

            var mpd = DashMpdReader.Read(ladder.ManifestPath);
            // The final manifest stays as before growing existed (complete, no expectedDuration/segmentCount): its
            // duration is the real one, and players treat a manifest without those fields as complete anyway.
            var manifest = ManifestBuilder.Build(videoId, mpd, ladder, rungs, ManifestBuilder.Thumbnails(_options, layout.CountSprites()));
            manifest = PlaybackIndexes.WithCaptions(manifest, (captions ?? []).Select(c => c.Track));
            layout.Arrange(manifest, mpd, ladder, rungs);
            foreach (var caption in captions ?? [])
            {
                layout.WriteText(CaptionPaths.VttKey(caption.Lang), caption.Vtt);
            }

            WriteIndexes(layout, manifest, mpd, ladder, probe.Video.FrameRate);
            report(1);

            return new ProcessedMedia(probe, rungs, manifest, layout.ListOutputs(), layout.OutputRoot);
        }
        catch (OperationCanceledException) when (timeoutCts.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Permanent: the same source on the same kind of worker would run out of time again, holding a worker
            // for the whole timeout on every retry.
            throw MediaException.Permanent(
                $"Processing took longer than the {MediaLimits.Duration(timeout.TotalSeconds)} allowed for a video of {MediaLimits.Duration(probe.DurationSeconds)} and was stopped. " +
                "Upload it at a lower resolution or frame rate, or shorter.");
        }
        catch (IOException ex)
        {
            throw MediaException.Transient($"I/O error while processing: {ex.Message}", inner: ex);
        }
        catch (Exception ex) when (ex is FormatException or System.Xml.XmlException)
        {
            throw MediaException.Transient($"could not read ffmpeg's DASH output: {ex.Message}", inner: ex);
        }
    }

    /// <summary>
    /// Runs <paramref name="encode"/> with the watcher beside it (see ProcessAsync's whileEncoding), then stops and
    /// awaits the watcher. The watcher's failure kills ffmpeg and is what is thrown (ffmpeg then only ended because
    /// of it); ffmpeg's own failure wins over whatever the watcher threw afterwards.
    /// </summary>
    private static async Task WatchedAsync(Task encode, GrowingOutput growing, Func<GrowingOutput, CancellationToken, Task>? whileEncoding, CancellationTokenSource encodeStop)
    {
        if (whileEncoding is null)
        {
            await encode.ConfigureAwait(false);
            return;
        }

        using var encodingDone = new CancellationTokenSource();
        var watcher = Task.Run(() => whileEncoding(growing, encodingDone.Token));
        _ = watcher.ContinueWith(_ => encodeStop.Cancel(), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        Exception? encodeError = null;
        try
        {
            await encode.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            encodeError = e;
        }

        encodingDone.Cancel();
        try
        {
            await watcher.ConfigureAwait(false);
        }
        catch (Exception watchError) when (encodeError is null || (watchError is not OperationCanceledException && encodeError is OperationCanceledException))
        {
            throw;
        }
        catch (Exception)
        {
            // ffmpeg failed (or was cancelled) first; what the watcher met afterwards is a consequence.
        }

        if (encodeError is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(encodeError);
        }
    }

    /// <summary>The one ffmpeg process (rungs, sprites, poster); its progress fills 0..<see cref="LadderProgressShare"/>.</summary>
    private async Task EncodeAsync(FfmpegRun ffmpeg, LadderCommand ladder, ProbeResult probe, OutputLayout layout, Action<double> report)
    {
        var parser = new ProgressParser(probe.DurationSeconds);
        await ffmpeg.RunAsync("encoding", ladder.Arguments, line =>
        {
            if (parser.Consume(line) is { } fraction)
            {
                report(fraction * LadderProgressShare);
            }
        }).ConfigureAwait(false);

        // An exit code of 0 with an image output missing means ffmpeg decoded no frame at all (or none past the
        // poster's instant): the source's pictures are unreadable, and a retry would decode nothing again.
        if (layout.CountSprites() == 0)
        {
            throw MediaException.Permanent(UndecodableMessage + " (ffmpeg wrote no thumbnail sprite)");
        }

        if (!File.Exists(layout.PosterPath))
        {
            throw MediaException.Permanent(UndecodableMessage + " (ffmpeg wrote no poster frame)");
        }
    }

    /// <summary>thumbs.vtt, manifest.mpd, the HLS playlists and manifest.json (last: it is what makes the video playable).</summary>
    private void WriteIndexes(OutputLayout layout, Manifest manifest, DashMpd mpd, LadderCommand ladder, double frameRate)
    {
        var videoEnd = mpd.Representations.Where(r => ladder.VideoRepresentationIds.Contains(r.Id)).Max(r => r.End);
        var tiles = ThumbnailVtt.TileCount(videoEnd, _options.ThumbnailIntervalSeconds);
        layout.WriteText(OutputLayout.ThumbsVttKey, ThumbnailVtt.Build(manifest.Thumbnails, tiles, manifest.Duration));
        foreach (var (key, text) in PlaybackIndexes.Write(manifest, frameRate))
        {
            layout.WriteText(key, text);
        }
    }

    /// <summary>Runs ffmpeg for one step; a failure becomes a <see cref="MediaException"/> with the stderr tail (local paths hidden).</summary>
    private sealed class FfmpegRun(ProcessRunner runner, string ffmpegPath, string[] localPaths, string workDir, CancellationToken cancellationToken)
    {
        public async Task RunAsync(string step, IReadOnlyList<string> arguments, Action<string>? onStdoutLine = null)
        {
            var result = await runner.RunAsync(ffmpegPath, arguments, onStdoutLine, cancellationToken, workDir).ConfigureAwait(false);
            var tail = localPaths.Aggregate(result.StderrTail, (text, path) => text.Replace(path, Path.GetFileName(path), StringComparison.Ordinal));
            if (result.ExitCode == 0)
            {
                // ffmpeg encodes what it can of a cut-off file and exits 0; publishing the first third
                // of someone's video as "ready" would be silent data loss.
                if (FfmpegErrors.ShowsTruncatedInput(tail))
                {
                    throw new MediaException($"The file is truncated or damaged (ffmpeg: {LastLines(tail)}); upload it again.", isPermanent: true, toolOutput: tail);
                }

                return;
            }

            var shown = string.IsNullOrWhiteSpace(tail) ? "(no output)" : LastLines(tail);
            if (result.ExitCode > 128)
            {
                throw MediaException.Transient($"ffmpeg ({step}) was killed (exit code {result.ExitCode}): {shown}", tail);
            }

            throw new MediaException(
                $"ffmpeg ({step}) failed (exit code {result.ExitCode}): {shown}",
                isPermanent: FfmpegErrors.ShowsCorruptInput(tail),
                toolOutput: tail);
        }
    }

    /// <summary>The last few stderr lines, enough for a readable message (the whole tail is in ToolOutput).</summary>
    private static string LastLines(string tail)
    {
        var lines = tail.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(" | ", lines.TakeLast(3)).Trim();
    }

    private static Action<double> Reporter(IProgress<double>? progress)
    {
        if (progress is null)
        {
            return _ => { };
        }

        var throttle = new ProgressThrottle(TimeSpan.FromSeconds(1));
        var gate = new object();
        return value =>
        {
            lock (gate)
            {
                if (throttle.ShouldEmit(value))
                {
                    progress.Report(value);
                }
            }
        };
    }
}

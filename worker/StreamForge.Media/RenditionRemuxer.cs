namespace StreamForge.Media;

/// <summary>
/// Runs the remux of <see cref="FfmpegCommandBuilder.BuildRemux"/>: one rung's fragments (and the audio's) become one
/// progressive MP4 without re-encoding, so it costs file copying, not CPU. Bounded by
/// <see cref="MediaToolsOptions.MinimumTimeout"/>; a failure is a transient <see cref="MediaException"/> with ffmpeg's words.
/// </summary>
public sealed class RenditionRemuxer(MediaToolsOptions options, ProcessRunner? runner = null)
{
    private readonly ProcessRunner _runner = runner ?? new ProcessRunner();
    private readonly FfmpegCommandBuilder _commands = new(options);

    public async Task RemuxAsync(string workDir, string videoPath, string? audioPath, string outputPath, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.MinimumTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        ProcessResult result;
        try
        {
            result = await _runner.RunAsync(options.FfmpegPath, _commands.BuildRemux(videoPath, audioPath, outputPath), null, linked.Token, workDir).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw MediaException.Transient($"ffmpeg (remux) timed out after {options.MinimumTimeout:g}");
        }

        if (result.ExitCode != 0 || !File.Exists(outputPath))
        {
            var tail = result.StderrTail.Replace(workDir, ".", StringComparison.Ordinal).Trim();
            throw MediaException.Transient($"ffmpeg (remux) failed (exit code {result.ExitCode}): {(tail.Length == 0 ? "(no output)" : tail)}", tail);
        }
    }
}

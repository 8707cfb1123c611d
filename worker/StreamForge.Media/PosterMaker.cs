namespace StreamForge.Media;

/// <summary>
/// Runs the poster commands of <see cref="FfmpegCommandBuilder"/>: one frame of a rung, or an uploaded image
/// re-encoded. Bounded by <see cref="MediaToolsOptions.MinimumTimeout"/>. A frame that cannot be made is a transient
/// fault (the input is our own output); an image ffmpeg cannot decode is the uploader's, a permanent one.
/// </summary>
public sealed class PosterMaker(MediaToolsOptions options, ProcessRunner? runner = null)
{
    private readonly ProcessRunner _runner = runner ?? new ProcessRunner();
    private readonly FfmpegCommandBuilder _commands = new(options);

    public FfmpegCommandBuilder Commands => _commands;

    public Task FrameAsync(string workDir, string trackPath, double offsetSeconds, int width, int height, string outputPath, CancellationToken ct) =>
        RunAsync(workDir, _commands.BuildPosterFrame(trackPath, offsetSeconds, width, height, outputPath), outputPath, permanent: false, ct);

    public Task ImageAsync(string workDir, string imagePath, ImageHeader image, long maxPixels, int maxWidth, string outputPath, CancellationToken ct) =>
        RunAsync(workDir, _commands.BuildPosterImage(imagePath, image, maxPixels, maxWidth, outputPath), outputPath, permanent: true, ct);

    private async Task RunAsync(string workDir, IReadOnlyList<string> args, string outputPath, bool permanent, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(options.MinimumTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        ProcessResult result;
        try
        {
            result = await _runner.RunAsync(options.FfmpegPath, args, null, linked.Token, workDir).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw MediaException.Transient($"ffmpeg (poster) timed out after {options.MinimumTimeout:g}");
        }

        if (result.ExitCode != 0 || !File.Exists(outputPath) || new FileInfo(outputPath).Length == 0)
        {
            var tail = result.StderrTail.Replace(workDir, ".", StringComparison.Ordinal).Trim();
            var words = tail.Length == 0 ? "(no output)" : tail;
            throw permanent
                ? MediaException.Permanent($"The image could not be decoded: {words}", tail)
                : MediaException.Transient($"ffmpeg (poster) failed (exit code {result.ExitCode}): {words}", tail);
        }
    }
}

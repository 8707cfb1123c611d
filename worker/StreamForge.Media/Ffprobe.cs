namespace StreamForge.Media;

/// <summary>
/// Runs ffprobe on a local file (given <see cref="MediaToolsOptions.MinimumTimeout"/> at most) and parses what it
/// reports. The file is sniffed first and opened only through the demuxers of real containers (<see cref="InputGuard"/>).
/// </summary>
public sealed class Ffprobe(MediaToolsOptions options, ProcessRunner runner)
{
    /// <param name="workingDirectory">ffprobe's current directory; by default the folder holding the source.</param>
    public async Task<ProbeResult> ProbeAsync(string path, CancellationToken cancellationToken = default, string? workingDirectory = null)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw MediaException.Transient($"source file not found: {fullPath}");
        }

        SourceSniffer.EnsureNotIndirect(fullPath);

        var json = new System.Text.StringBuilder();
        using var timeout = new CancellationTokenSource(options.MinimumTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        ProcessResult result;
        try
        {
            result = await runner.RunAsync(
                options.FfprobePath,
                ["-v", "error", .. InputGuard.ProbeInputOptions, "-print_format", "json", "-show_format", "-show_streams", fullPath],
                line => json.AppendLine(line),
                linked.Token,
                workingDirectory ?? Path.GetDirectoryName(fullPath)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw MediaException.Transient($"ffprobe timed out after {options.MinimumTimeout:g}");
        }

        if (result.ExitCode > 128)
        {
            throw MediaException.Transient($"ffprobe was killed (exit code {result.ExitCode})", result.StderrTail);
        }

        if (result.ExitCode != 0)
        {
            var reason = string.IsNullOrWhiteSpace(result.StderrTail) ? $"ffprobe exit code {result.ExitCode}" : StripPath(result.StderrTail, fullPath);
            throw MediaException.Permanent($"not a readable media file: {reason}. {SourceSniffer.Accepted}", reason);
        }

        var probe = ProbeParser.Parse(json.ToString());
        if (!InputGuard.IsAllowedFormat(probe.FormatName))
        {
            throw MediaException.Permanent(SourceSniffer.NotAcceptedMessage($"a '{probe.FormatName}' file"));
        }

        return probe;
    }

    /// <summary>ffprobe prefixes errors with the input path; the worker's temp path means nothing to a user.</summary>
    private static string StripPath(string message, string path) => message.Replace(path + ": ", "", StringComparison.Ordinal);
}

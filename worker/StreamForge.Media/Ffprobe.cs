namespace StreamForge.Media;

/// <summary>Runs ffprobe on a local file (given <see cref="MediaToolsOptions.MinimumTimeout"/> at most) and parses what it reports.</summary>
public sealed class Ffprobe(MediaToolsOptions options, ProcessRunner runner)
{
    public async Task<ProbeResult> ProbeAsync(string path, CancellationToken cancellationToken = default)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw MediaException.Transient($"source file not found: {fullPath}");
        }

        var json = new System.Text.StringBuilder();
        using var timeout = new CancellationTokenSource(options.MinimumTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        ProcessResult result;
        try
        {
            result = await runner.RunAsync(
                options.FfprobePath,
                ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", fullPath],
                line => json.AppendLine(line),
                linked.Token).ConfigureAwait(false);
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
            throw MediaException.Permanent($"not a readable media file: {reason}", reason);
        }

        return ProbeParser.Parse(json.ToString());
    }

    /// <summary>ffprobe prefixes errors with the input path; the worker's temp path means nothing to a user.</summary>
    private static string StripPath(string message, string path) => message.Replace(path + ": ", "", StringComparison.Ordinal);
}

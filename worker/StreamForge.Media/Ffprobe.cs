namespace StreamForge.Media;

/// <summary>
/// Runs ffprobe on a local file (given <see cref="MediaToolsOptions.MinimumTimeout"/> at most) and parses what it
/// reports. The file is screened by <see cref="SourceGuard"/> first and opened through its allowlists.
/// </summary>
public sealed class Ffprobe(MediaToolsOptions options, ProcessRunner runner)
{
    public async Task<ProbeResult> ProbeAsync(string path, CancellationToken cancellationToken = default)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw MediaException.Transient($"source file not found: {fullPath}");
        }

        SourceGuard.Inspect(fullPath);
        var json = new System.Text.StringBuilder();
        using var timeout = new CancellationTokenSource(options.MinimumTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        ProcessResult result;
        try
        {
            result = await runner.RunAsync(
                options.FfprobePath,
                ["-v", "error", .. SourceGuard.InputArguments(), "-print_format", "json", "-show_format", "-show_streams", fullPath],
                line => json.AppendLine(line),
                linked.Token,
                workingDirectory: Path.GetDirectoryName(fullPath)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw MediaException.Transient($"ffprobe timed out after {options.MinimumTimeout:g}");
        }

        if (result.ExitCode > 128)
        {
            throw MediaException.Transient($"ffprobe was killed (exit code {result.ExitCode})", result.StderrTail);
        }

        if (result.ExitCode != 0 && result.StderrTail.Contains("not on whitelist", StringComparison.OrdinalIgnoreCase))
        {
            throw MediaException.Permanent(SourceGuard.NotAcceptedMessage(NamedFormat(result.StderrTail)), result.StderrTail);
        }

        if (result.ExitCode != 0)
        {
            var reason = string.IsNullOrWhiteSpace(result.StderrTail) ? $"ffprobe exit code {result.ExitCode}" : StripPath(result.StderrTail, fullPath);
            throw MediaException.Permanent($"not a readable media file: {reason}", reason);
        }

        return ProbeParser.Parse(json.ToString());
    }

    /// <summary>What the demuxer ffprobe found but may not use says about the file ("[hls @ 0x…] Format not on whitelist").</summary>
    internal static string? NamedFormat(string stderr)
    {
        var match = System.Text.RegularExpressions.Regex.Match(stderr, @"\[(\w+) @ 0x[0-9a-f]+\] Format not on whitelist");
        if (!match.Success)
        {
            return null;
        }

        var name = match.Groups[1].Value;
        return name switch
        {
            "hls" => "an HLS playlist",
            "dash" or "webm_dash_manifest" => "a DASH manifest",
            "concat" => "a concat list",
            "tty" => "a text file",
            "sdp" or "rtsp" or "rtp" => "a network stream description",
            "mp3" or "wav" or "aac" or "flac" or "w64" or "aiff" => "an audio file",
            "gif" => "a GIF image",
            _ when name.StartsWith("image2", StringComparison.Ordinal) || name.EndsWith("_pipe", StringComparison.Ordinal) => "an image",
            _ => $"{name} data",
        };
    }

    /// <summary>ffprobe prefixes errors with the input path; the worker's temp path means nothing to a user.</summary>
    private static string StripPath(string message, string path) => message.Replace(path + ": ", "", StringComparison.Ordinal);
}

using System.Diagnostics;
using System.Text;

namespace StreamForge.Media;

/// <summary>
/// The one place that starts external processes: argument list (no shell), stdout streamed line by line,
/// a bounded stderr tail kept for error messages, and cancellation that kills the whole process tree.
/// Children get an explicit minimal environment, never the worker's own: it holds the database connection string
/// and storage keys, and a tool fed hostile input must find nothing there worth leaking. They also start without
/// capabilities (<see cref="ChildConfinement"/>), so they cannot read the non-dumpable worker through /proc.
/// </summary>
public sealed class ProcessRunner
{
    public const int TailMaxLines = 40;
    public const int TailMaxChars = 4096;

    /// <summary>The whole environment a child sees: system tool dirs and a neutral locale.</summary>
    public static readonly IReadOnlyDictionary<string, string> ChildEnvironment = new Dictionary<string, string>
    {
        ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        ["LANG"] = "C",
        ["LC_ALL"] = "C",
    };

    /// <summary>
    /// Runs <paramref name="fileName"/> to completion. On cancellation the process tree is killed, its exit is
    /// awaited, and <see cref="OperationCanceledException"/> is thrown. A tool that cannot be started throws
    /// a transient <see cref="MediaException"/>.
    /// </summary>
    /// <param name="workingDirectory">The child's current directory (a job's own folder); null: the system temp dir,
    /// never the worker's own directory.</param>
    public async Task<ProcessResult> RunAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        Action<string>? onStdoutLine = null,
        CancellationToken cancellationToken = default,
        string? workingDirectory = null)
    {
        cancellationToken.ThrowIfCancellationRequested();

        var command = ChildConfinement.Wrap(fileName, arguments);
        var startInfo = new ProcessStartInfo(command.FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        startInfo.Environment.Clear();
        foreach (var (key, value) in ChildEnvironment)
        {
            startInfo.Environment[key] = value;
        }

        foreach (var argument in command.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw MediaException.Transient($"could not start '{fileName}': {ex.Message}", inner: ex);
        }

        process.StandardInput.Close();
        var tail = new StderrTail();
        var stdoutTask = PumpAsync(process.StandardOutput, onStdoutLine);
        var stderrTask = PumpAsync(process.StandardError, tail.Add);

        await using (cancellationToken.Register(() => KillTree(process)))
        {
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            await Task.WhenAll(stdoutTask, stderrTask).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return new ProcessResult(process.ExitCode, tail.ToString());
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private static async Task PumpAsync(StreamReader reader, Action<string>? onLine)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            onLine?.Invoke(line);
        }
    }

    /// <summary>Keeps the last <see cref="TailMaxLines"/> lines, at most <see cref="TailMaxChars"/> characters in all.</summary>
    private sealed class StderrTail
    {
        private readonly Queue<string> _lines = new();
        private int _chars;

        public void Add(string line)
        {
            if (line.Length > TailMaxChars)
            {
                line = line[..TailMaxChars];
            }

            lock (_lines)
            {
                _lines.Enqueue(line);
                _chars += line.Length + 1;
                while (_lines.Count > TailMaxLines || (_chars > TailMaxChars && _lines.Count > 1))
                {
                    _chars -= _lines.Dequeue().Length + 1;
                }
            }
        }

        public override string ToString()
        {
            lock (_lines)
            {
                return string.Join('\n', _lines).Trim();
            }
        }
    }
}

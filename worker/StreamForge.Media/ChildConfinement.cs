namespace StreamForge.Media;

/// <summary>
/// Starts tools without capabilities. The worker makes itself non-dumpable so a child cannot read its memory or its
/// environment (connection string, storage keys) through /proc; but a child running as root keeps CAP_SYS_PTRACE,
/// which overrides that. When the worker holds any capability (it runs as root: tests, CI, a careless deployment),
/// each tool is started through util-linux's <c>setpriv</c> with an empty bounding set and no inheritable
/// capabilities, so after exec it holds none; a non-root worker has none to drop and starts tools directly.
/// </summary>
public static class ChildConfinement
{
    private static readonly string[] SetprivPaths = ["/usr/bin/setpriv", "/bin/setpriv"];

    private static readonly Lazy<bool> HoldsCapabilities = new(ReadHoldsCapabilities);

    /// <summary>The command that runs <paramref name="fileName"/> with <paramref name="arguments"/> without capabilities.</summary>
    /// <exception cref="MediaException">Transient: the worker holds capabilities and setpriv is missing (fail closed).</exception>
    public static (string FileName, IReadOnlyList<string> Arguments) Wrap(string fileName, IReadOnlyList<string> arguments)
    {
        if (!HoldsCapabilities.Value)
        {
            return (fileName, arguments);
        }

        var setpriv = SetprivPaths.FirstOrDefault(File.Exists)
            ?? throw MediaException.Transient("the worker runs with capabilities (as root) and cannot drop them for its tools: setpriv (util-linux) is not installed");
        // setpriv would start and then fail its exec (exit 127): a missing tool must stay the start failure it is
        // without the wrapper, which the runner reports as a transient error naming the tool.
        if (Resolve(fileName) is null)
        {
            throw MediaException.Transient($"could not start '{fileName}': no such executable");
        }

        return (setpriv, ["--bounding-set=-all", "--inh-caps=-all", "--no-new-privs", "--", fileName, .. arguments]);
    }

    private static string? Resolve(string fileName)
    {
        if (fileName.Contains('/'))
        {
            return File.Exists(fileName) ? fileName : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, fileName)).FirstOrDefault(File.Exists);
    }

    /// <summary>True when this process has any effective or permitted capability (Linux only).</summary>
    private static bool ReadHoldsCapabilities()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return File.ReadLines("/proc/self/status")
                .Where(l => l.StartsWith("CapEff:", StringComparison.Ordinal) || l.StartsWith("CapPrm:", StringComparison.Ordinal))
                .Any(l => l[7..].Trim().Trim('0').Length > 0);
        }
        catch (IOException)
        {
            // Unknown: confine anyway, it costs one exec.
            return true;
        }
    }
}

namespace StreamForge.Tests.Infrastructure;

/// <summary>
/// Linux /proc, read one way for every test that looks at real processes (a worker's ffmpeg children, processes
/// left behind). Readers of one process answer null when it has exited meanwhile, so walks need no try/catch.
/// </summary>
public static class ProcFs
{
    /// <summary>Every live pid.</summary>
    public static IEnumerable<int> Pids() =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName)
            .Where(n => n!.Length > 0 && n.All(char.IsAsciiDigit)).Select(n => int.Parse(n!, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// The executable's short name, state letter and parent from /proc/{pid}/stat. The name may hold spaces and
    /// parentheses, so the fixed fields are read after the last ')'.
    /// </summary>
    public static (string Name, char State, int ParentPid)? Stat(int pid)
    {
        if (Read($"/proc/{pid}/stat") is not { } stat) return null;
        var close = stat.LastIndexOf(')');
        var fields = stat[(close + 2)..].Split(' ');
        return (stat[(stat.IndexOf('(') + 1)..close], fields[0][0], int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The command line, arguments separated by spaces; null when the process is gone.</summary>
    public static string? CommandLine(int pid) =>
        Read($"/proc/{pid}/cmdline")?.TrimEnd('\0').Replace('\0', ' ');

    /// <summary>Live processes whose command line contains <paramref name="text"/>.</summary>
    public static List<int> Mentioning(string text) =>
        Pids().Where(pid => CommandLine(pid)?.Contains(text, StringComparison.Ordinal) == true).ToList();

    /// <summary>Direct children of <paramref name="parentPid"/> whose executable is named <paramref name="name"/>.</summary>
    public static List<int> Children(int parentPid, string name) =>
        Pids().Where(pid => Stat(pid) is { } s && s.ParentPid == parentPid && s.Name == name).ToList();

    private static string? Read(string path)
    {
        try { return File.ReadAllText(path); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}

using System.Runtime.InteropServices;

namespace StreamForge.Worker;

/// <summary>
/// Makes the worker non-dumpable (<c>prctl(PR_SET_DUMPABLE, 0)</c>): /proc/&lt;worker&gt;/environ, mem and maps
/// become readable only with CAP_SYS_PTRACE, and ptrace attach is refused, so an ffmpeg exploited by a hostile
/// upload (same user, no capabilities: see ChildConfinement) cannot read the connection string or storage keys
/// out of the worker. It also means no core dumps and no attaching debuggers or dotnet-dump to a running worker.
/// </summary>
public static class ProcessHardening
{
    private const int PrSetDumpable = 4;
    private const int PrGetDumpable = 3;

    /// <summary>Applies it on Linux; returns false (with the reason) where it cannot.</summary>
    public static bool MakeNonDumpable(out string? problem)
    {
        problem = null;
        if (!OperatingSystem.IsLinux()) return true;
        if (Prctl(PrSetDumpable, 0, 0, 0, 0) != 0 || Prctl(PrGetDumpable, 0, 0, 0, 0) != 0)
        {
            problem = $"prctl(PR_SET_DUMPABLE, 0) failed (errno {Marshal.GetLastPInvokeError()})";
            return false;
        }
        return true;
    }

    [DllImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static extern int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
}

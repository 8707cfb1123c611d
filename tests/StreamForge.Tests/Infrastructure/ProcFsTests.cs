using System.Diagnostics;

namespace StreamForge.Tests.Infrastructure;

public sealed class ProcFsTests
{
    [Fact]
    public async Task Reads_a_live_child_whose_name_holds_spaces_and_parentheses_and_answers_null_once_it_is_gone()
    {
        var dir = Directory.CreateTempSubdirectory("sf-procfs-");
        var odd = Path.Combine(dir.FullName, "a) (b c");
        File.CreateSymbolicLink(odd, "/bin/sleep");
        using var child = Process.Start(new ProcessStartInfo(odd, ["30"]) { UseShellExecute = false })!;
        try
        {
            var self = Environment.ProcessId;
            Assert.Equal(("a) (b c", self), Stat(child.Id));
            Assert.Equal($"{odd} 30", ProcFs.CommandLine(child.Id));
            Assert.Equal([child.Id], ProcFs.Children(self, "a) (b c"));
            Assert.Equal([child.Id], ProcFs.Mentioning(dir.FullName));
            Assert.Contains(self, ProcFs.Pids());
        }
        finally
        {
            child.Kill();
            await child.WaitForExitAsync();
            dir.Delete(recursive: true);
        }
        Assert.Null(ProcFs.Stat(child.Id));
        Assert.Null(ProcFs.CommandLine(child.Id));
    }

    private static (string, int)? Stat(int pid) => ProcFs.Stat(pid) is { } s ? (s.Name, s.ParentPid) : null;
}

using System.Diagnostics;

namespace StreamForge.Tests.Infrastructure;

/// <summary>
/// Runs the node tests of the tooling library (scripts/lib/tooling.test.mjs: the launcher contract, the API and
/// S3 clients) so they run with the rest of the suite; the library starts the same launcher the fixtures use.
/// </summary>
public sealed class ToolingLibraryTests
{
    [Fact]
    public async Task Tooling_library_node_tests_pass()
    {
        var psi = new ProcessStartInfo("node", ["--test", "--test-reporter=tap", "scripts/lib/tooling.test.mjs"])
        {
            WorkingDirectory = StackFixture.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw new TimeoutException("node --test did not finish within 3 minutes"); }
        var output = await stdout;
        Assert.True(process.ExitCode == 0, $"node --test scripts/lib/tooling.test.mjs exited {process.ExitCode}:\n{output}\n{await stderr}");
        Assert.Matches(@"(?m)^# pass [1-9]\d*$", output); // the tests really ran
        Assert.Matches(@"(?m)^# fail 0$", output);
    }
}

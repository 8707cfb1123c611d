using StreamForge.Media;

namespace StreamForge.Tests.Security;

/// <summary>A tool the worker starts (as it starts ffmpeg) cannot read the worker's secrets through /proc.</summary>
[Collection(StackCollection.Name)]
public sealed class WorkerHardeningTests(StackFixture stack)
{
    /// <summary>
    /// As root (tests, CI) the worker holds capabilities and its tools are started without them; without
    /// capabilities (as a deployment's non-root user is) only the worker being non-dumpable stands between a tool of
    /// the same user and the worker's /proc files: both ways are tried.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_child_started_like_ffmpeg_cannot_read_the_workers_environment_or_memory(bool workerWithoutCapabilities)
    {
        string[]? launcher = workerWithoutCapabilities ? ["setpriv", "--bounding-set=-all", "--inh-caps=-all"] : null;
        await using var worker = WorkerProcess.Start(stack, stack.Api.ConnectionString, launcher: launcher);
        await worker.HealthAddressAsync(TimeSpan.FromSeconds(60));
        var environ = $"/proc/{worker.Id}/environ";
        // The test host itself (root here) can: the secret really is there to be taken.
        Assert.Contains("ConnectionStrings__Postgres=", File.ReadAllText(environ));

        foreach (var (tool, args) in new (string, string[])[] { ("cat", [environ]), ("head", ["-c", "64", $"/proc/{worker.Id}/mem"]) })
        {
            var seen = new List<string>();
            var result = await new ProcessRunner().RunAsync(tool, args, line => { lock (seen) seen.Add(line); });
            Assert.True(result.ExitCode != 0, $"{tool} {string.Join(' ', args)} succeeded: {string.Join('\n', seen)}");
            Assert.Contains("Permission denied", result.StderrTail);
            Assert.DoesNotContain(seen, l => l.Contains("ConnectionStrings", StringComparison.Ordinal));
        }
    }
}

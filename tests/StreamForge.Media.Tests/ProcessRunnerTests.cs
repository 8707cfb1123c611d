using StreamForge.Media.Tests.Support;
using StreamForge.Tests.Infrastructure;

namespace StreamForge.Media.Tests;

public class ProcessRunnerTests
{
    private readonly ProcessRunner _runner = new();

    [Fact]
    public async Task Streams_stdout_lines_and_returns_the_exit_code()
    {
        var lines = new List<string>();
        var result = await _runner.RunAsync("sh", ["-c", "echo one; echo two; exit 3"], lines.Add);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal(["one", "two"], lines);
    }

    [Fact]
    public async Task Keeps_only_a_bounded_tail_of_stderr()
    {
        var result = await _runner.RunAsync("sh", ["-c", "i=1; while [ $i -le 200 ]; do echo \"err $i\" >&2; i=$((i+1)); done"]);
        var lines = result.StderrTail.Split('\n');
        Assert.Equal(ProcessRunner.TailMaxLines, lines.Length);
        Assert.Equal("err 161", lines[0]);
        Assert.Equal("err 200", lines[^1]);
    }

    [Fact]
    public async Task Tail_is_bounded_in_characters_too()
    {
        var result = await _runner.RunAsync("sh", ["-c", "i=1; while [ $i -le 30 ]; do printf '%0500d\\n' $i >&2; i=$((i+1)); done"]);
        Assert.InRange(result.StderrTail.Length, 1, ProcessRunner.TailMaxChars);
        Assert.EndsWith("30", result.StderrTail);
    }

    [Fact]
    public async Task Arguments_are_passed_verbatim_without_a_shell()
    {
        var lines = new List<string>();
        await _runner.RunAsync("printf", ["%s|", "a b", "$HOME", "'q'"], lines.Add);
        Assert.Equal("a b|$HOME|'q'|", Assert.Single(lines));
    }

    [Fact]
    public async Task A_missing_tool_is_a_transient_media_exception()
    {
        var ex = await Assert.ThrowsAsync<MediaException>(() => _runner.RunAsync("/nonexistent/ffmpeg-" + Guid.NewGuid(), []));
        Assert.False(ex.IsPermanent);
    }

    [Fact]
    public async Task Cancellation_kills_the_whole_process_tree_and_waits_for_it()
    {
        var marker = $"{Random.Shared.Next(100_000, 999_999)}.5";   // a unique sleep length to find the processes by
        using var cts = new CancellationTokenSource();
        var run = _runner.RunAsync("sh", ["-c", $"sleep {marker} & sleep {marker}; wait"], cancellationToken: cts.Token);

        await Eventually.HoldsAsync(async () => (await Tools.PgrepAsync($"sleep {marker}")).Split('\n').Length >= 2,
            TimeSpan.FromSeconds(10), () => $"fewer than two 'sleep {marker}' processes", TimeSpan.FromMilliseconds(50));
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal("", await Tools.PgrepAsync($"sleep {marker}"));
    }

    [Fact]
    public async Task An_already_cancelled_token_starts_nothing()
    {
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _runner.RunAsync("sleep", ["5"], cancellationToken: new CancellationToken(true)));
    }

    [Fact]
    public async Task A_child_sees_none_of_the_parent_environment_and_runs_in_the_given_directory()
    {
        var secret = "SF_TEST_SECRET_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(secret, "hunter2");
        try
        {
            using var dir = new TempDir();
            var env = new List<string>();
            var envResult = await _runner.RunAsync("/usr/bin/env", [], env.Add, workingDirectory: dir.Path);
            Assert.Equal(0, envResult.ExitCode);
            Assert.DoesNotContain(env, line => line.Contains(secret) || line.Contains("hunter2"));
            Assert.Equal(ProcessRunner.ChildEnvironment.Select(kv => $"{kv.Key}={kv.Value}").Order(), env.Where(l => !l.StartsWith("PWD=")).Order());

            var cwd = new List<string>();
            await _runner.RunAsync("/bin/pwd", ["-P"], cwd.Add, workingDirectory: dir.Path);
            Assert.Equal(Path.GetFullPath(dir.Path), Assert.Single(cwd));
        }
        finally
        {
            Environment.SetEnvironmentVariable(secret, null);
        }
    }

    [Fact]
    public async Task Without_a_working_directory_a_child_runs_in_the_temp_dir_not_the_parents()
    {
        var cwd = new List<string>();
        await _runner.RunAsync("/bin/pwd", ["-P"], cwd.Add);
        Assert.Equal(new DirectoryInfo(Path.GetTempPath()).ResolveLinkTarget(true)?.FullName ?? Path.GetFullPath(Path.GetTempPath()).TrimEnd('/'), Assert.Single(cwd));
    }
}

using StreamForge.Media.Tests.Support;

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
    public async Task Children_see_none_of_the_workers_environment_and_run_in_the_given_folder()
    {
        Environment.SetEnvironmentVariable("SF_TEST_SECRET", "hunter2");
        using var dir = new TempDir();
        var lines = new List<string>();
        var result = await _runner.RunAsync("/usr/bin/env", [], lines.Add, workingDirectory: dir.Path);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["LC_ALL=C", "PATH=/usr/local/bin:/usr/bin:/bin"], lines.Order());
        var pwd = new List<string>();
        await _runner.RunAsync("pwd", [], pwd.Add, workingDirectory: dir.Path);
        Assert.Equal([dir.Path], pwd);
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

        await WaitUntilAsync(async () => (await Tools.PgrepAsync($"sleep {marker}")).Split('\n').Length >= 2);
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal("", await Tools.PgrepAsync($"sleep {marker}"));
    }

    [Fact]
    public async Task An_already_cancelled_token_starts_nothing()
    {
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _runner.RunAsync("sleep", ["5"], cancellationToken: new CancellationToken(true)));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in 10 s");
            await Task.Delay(50);
        }
    }
}

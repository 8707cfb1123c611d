extern alias worker;
using Checks = worker::StreamForge.Worker.Health.StartupChecks;
using CheckFailed = worker::StreamForge.Worker.Health.StartupCheckException;

namespace StreamForge.Tests.Operations;

/// <summary>A worker that cannot work refuses to start, with a message that says what to fix.</summary>
[Collection(StackCollection.Name)]
public sealed class StartupCheckTests(StackFixture stack)
{
    [Theory]
    [InlineData("ffmpeg version 5.1.6-0+deb12u1 Copyright (c) 2000-2024 the FFmpeg developers\nbuilt with gcc 12", 5)]
    [InlineData("ffmpeg version n6.1.1 Copyright (c) 2000-2023", 6)]
    [InlineData("ffmpeg version 4.4.2-0ubuntu0.22.04.1 Copyright", 4)]
    [InlineData("ffmpeg version N-112233-gabcdef Copyright", null)]
    [InlineData("bash: ffmpeg: command not found", null)]
    public void The_ffmpeg_major_version_is_read_from_its_banner(string banner, int? major) =>
        Assert.Equal(major, Checks.ParseMajorVersion(banner));

    [Fact]
    public async Task The_installed_ffmpeg_and_ffprobe_pass()
    {
        Assert.True(await Checks.CheckToolAsync("ffmpeg", "ffmpeg", "Media__FfmpegPath", default) >= 5);
        Assert.True(await Checks.CheckToolAsync("ffprobe", "ffprobe", "Media__FfprobePath", default) >= 5);
    }

    [Fact]
    public async Task A_too_old_ffmpeg_is_refused()
    {
        var fake = Path.Combine(Path.GetTempPath(), $"old-ffmpeg-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(fake, "#!/bin/sh\necho 'ffmpeg version 4.4.2-0ubuntu0.22.04.1 Copyright (c) 2000-2021'\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        try
        {
            var e = await Assert.ThrowsAsync<CheckFailed>(() => Checks.CheckToolAsync(fake, "ffmpeg", "Media__FfmpegPath", default));
            Assert.Contains("too old", e.Message);
            Assert.Contains("5 or newer", e.Message);
        }
        finally { File.Delete(fake); }
    }

    [Theory]
    [InlineData("Media__FfmpegPath", "/nonexistent/ffmpeg", "ffmpeg was not found at '/nonexistent/ffmpeg'")]
    [InlineData("Storage__Bucket", "no-such-bucket-here", "Bucket 'no-such-bucket-here' does not exist")]
    [InlineData("ConnectionStrings__Postgres", "Host=127.0.0.1;Port=1;Database=x;Username=x;Password=x;Timeout=2", "Cannot connect to PostgreSQL at 127.0.0.1:1")]
    [InlineData("ConnectionStrings__Postgres", "Hots=oops", "ConnectionStrings:Postgres is malformed")]
    public async Task A_worker_with_a_broken_dependency_exits_with_a_clear_message(string setting, string value, string message)
    {
        await using var worker = WorkerProcess.Start(stack, stack.Api.ConnectionString, new Dictionary<string, string> { [setting] = value });
        var exit = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exit == 2, $"exit {exit}\n{worker.Log}");
        Assert.Contains("StreamForge worker cannot start: " + message, worker.Log);
        Assert.DoesNotContain("   at ", worker.Log); // a message, not a stack trace
    }
}

extern alias worker;
using worker::StreamForge.Worker;
using TempSpace = worker::StreamForge.Worker.Processing.TempSpace;

namespace StreamForge.Tests.Faults;

/// <summary>The worker's temp-space rules on a real folder: what counts against the budget, and what reads as a full disk.</summary>
public sealed class TempSpaceTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("sf-tempspace-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Other_jobs_files_count_against_the_budget_and_the_own_folder_does_not()
    {
        var options = new WorkerOptions { TempDirectory = _root, TempSpaceLimitBytes = 10_000, TempSpaceFactor = 3 };
        var own = Directory.CreateDirectory(Path.Combine(_root, "own")).FullName;
        File.WriteAllBytes(Path.Combine(own, "source"), new byte[8_000]);
        Assert.Null(TempSpace.Shortfall(options, 3_000, own)); // 9 000 needed, 10 000 left: the own folder is not "used"

        var other = Directory.CreateDirectory(Path.Combine(_root, "other")).FullName;
        File.WriteAllBytes(Path.Combine(other, "source"), new byte[2_000]);
        var message = TempSpace.Shortfall(options, 3_000, own);
        Assert.NotNull(message);
        Assert.StartsWith("Not enough temporary disk space on the worker: this video needs about 8.8 KiB (3 × its 2.9 KiB source), 7.8 KiB is free", message);
    }

    [Fact]
    public void Without_a_budget_only_the_filesystems_free_space_limits_a_job()
    {
        var options = new WorkerOptions { TempDirectory = _root };
        var free = new DriveInfo(_root).AvailableFreeSpace;
        Assert.InRange(TempSpace.Available(options, Path.Combine(_root, "job")), free - (64L << 20), free + (64L << 20)); // others write meanwhile
        Assert.NotNull(TempSpace.Shortfall(options, long.MaxValue / 4, Path.Combine(_root, "job")));
    }

    [Fact]
    public void A_full_disk_is_recognised_from_our_writes_and_from_ffmpegs_output()
    {
        Assert.True(TempSpace.IsOutOfSpace(new IOException("No space left on device : '/tmp/x/source'", 28)));
        Assert.True(TempSpace.IsOutOfSpace(new InvalidOperationException("wrapped", new IOException("disk", 28))));
        Assert.True(TempSpace.IsOutOfSpace(new StreamForge.Media.MediaException("ffmpeg failed", isPermanent: false,
            toolOutput: "[dash @ 0x55] Error writing trailer: No space left on device")));
        Assert.False(TempSpace.IsOutOfSpace(new IOException("Connection reset by peer", 104)));
        Assert.False(TempSpace.IsOutOfSpace(new StreamForge.Media.MediaException("not a video", isPermanent: true, toolOutput: "Invalid data found")));
    }
}

extern alias worker;
using StreamForge.Core.Storage;
using StreamForge.Media;
using worker::StreamForge.Worker.Processing;

namespace StreamForge.Tests.Processing;

/// <summary>What a failed run means for the owner, the admin and the queue, decided without running anything.</summary>
public sealed class FailurePolicyTests
{
    private static readonly TimeSpan[] Delays = [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20)];

    private const string FfmpegDump = "[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55d0c0] stream 0, offset 0x30: partial file\n/var/tmp/streamforge/3f2a-17/source: Invalid data found when processing input";

    [Fact]
    public void Transient_failures_retry_with_the_configured_delays_then_give_up()
    {
        var storage = new StorageException(StorageFailure.Unavailable, "downloading", "raw/3f2a/source", null, "connection refused", new IOException("refused"));
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), null],
            Enumerable.Range(1, 4).Select(attempt => FailurePolicy.Decide(storage, attempt, Delays).RetryDelay));
        var retrying = FailurePolicy.Decide(storage, 1, Delays);
        Assert.False(retrying.Permanent);
        Assert.Equal("A storage error interrupted processing. It will be tried again shortly.", retrying.UserMessage);
        Assert.Equal("A storage error interrupted processing. Gave up after 4 attempts.", FailurePolicy.Decide(storage, 4, Delays).UserMessage);
        // The admin reads what happened, with the key and the cause.
        Assert.Contains("StorageException: Storage error while downloading raw/3f2a/source: connection refused", retrying.AdminDetail);
        Assert.Contains("IOException: refused", retrying.AdminDetail);
    }

    [Fact]
    public void Permanent_failures_never_retry_and_the_owner_never_reads_paths_keys_types_or_ffmpeg_output()
    {
        var cases = new (Exception Error, string Expected)[]
        {
            (new MediaException("The file is truncated or damaged (ffmpeg: partial file); upload it again.", true, FfmpegDump), FailurePolicy.TruncatedMessage),
            (new MediaException("ffmpeg (encoding) failed (exit code 1): /var/tmp/streamforge/x/source: Invalid data", true, "Invalid data found when processing input /var/tmp/streamforge/x/source"), FailurePolicy.DamagedMessage),
            (new MediaException("not a readable media file: moov atom not found. " + SourceSniffer.Accepted, true, "moov atom not found"), "This is not a readable media file. " + SourceSniffer.Accepted),
            (new MediaException("The video runs at 1000 frames per second; the limit is 120.", true), "The video runs at 1000 frames per second; the limit is 120."),
            (new SourceChangedException("raw/3f2a/source", "\"abc\"", "\"def\""), FailurePolicy.SourceReplacedMessage),
            (new TempSpaceException("Not enough temporary disk space on the worker: this video needs about 3 MiB."), "Not enough temporary disk space on the worker: this video needs about 3 MiB."),
        };
        foreach (var (error, expected) in cases)
        {
            var decision = FailurePolicy.Decide(error, 1, Delays);
            Assert.True(decision.Permanent, expected);
            Assert.Null(decision.RetryDelay);
            Assert.Equal(expected, decision.UserMessage);
            Assert.DoesNotContain("/var/tmp", decision.UserMessage);
            Assert.DoesNotContain("raw/", decision.UserMessage);
            Assert.DoesNotContain("Exception", decision.UserMessage);
            Assert.Contains(error.GetType().Name, decision.AdminDetail);
        }
        // The ffmpeg dump reaches the dashboard whole.
        Assert.Contains(FfmpegDump, FailurePolicy.Decide(cases[0].Error, 1, Delays).AdminDetail);
    }

    [Fact]
    public void Worker_side_faults_read_as_plain_sentences_and_the_admin_keeps_the_detail()
    {
        var killed = new MediaException("ffmpeg (encoding) was killed (exit code 137): /var/tmp/streamforge/x/dash/init.mp4", false, "Killed");
        var full = new IOException("No space left on device : '/var/tmp/streamforge/x/dash/seg_00003.m4s'");
        var bug = new InvalidOperationException("Sequence contains no elements");
        Assert.Equal("A problem on the processing worker interrupted processing. It will be tried again shortly.", FailurePolicy.Decide(killed, 1, Delays).UserMessage);
        Assert.Equal("The worker ran out of temporary disk space while processing this video. It will be tried again shortly.", FailurePolicy.Decide(full, 1, Delays).UserMessage);
        Assert.Equal("An unexpected error interrupted processing. Gave up after 4 attempts.", FailurePolicy.Decide(bug, 4, Delays).UserMessage);
        Assert.Contains("/var/tmp/streamforge/x/dash/seg_00003.m4s", FailurePolicy.Decide(full, 1, Delays).AdminDetail);
        Assert.Equal("InvalidOperationException: Sequence contains no elements", FailurePolicy.Decide(bug, 1, Delays).AdminDetail);
    }

    [Fact]
    public void A_timeout_fails_at_once_with_its_plain_message()
    {
        var timeout = new MediaException("Processing took longer than the 2 h allowed for a video of 1 h and was stopped. Upload it at a lower resolution or frame rate, or shorter.", true);
        var decision = FailurePolicy.Decide(timeout, 1, Delays);
        Assert.True(decision.Permanent);
        Assert.Null(decision.RetryDelay);
        Assert.Equal(timeout.Message, decision.UserMessage);
    }
}

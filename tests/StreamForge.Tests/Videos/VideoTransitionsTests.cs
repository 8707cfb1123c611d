using StreamForge.Core.Data;
using StreamForge.Core.Videos;

namespace StreamForge.Tests.Videos;

/// <summary>The lifecycle table, pair by pair: every transition against every status, allowed or refused.</summary>
public sealed class VideoTransitionsTests
{
    private const VideoStatus P = VideoStatus.PendingUpload, U = VideoStatus.Uploading, Pr = VideoStatus.Processing, R = VideoStatus.Ready, F = VideoStatus.Failed;

    /// <summary>Written out by hand on purpose: a change to the table must be a change here too.</summary>
    private static readonly Dictionary<VideoTransition, (VideoStatus[] From, VideoStatus? To)> Expected = new()
    {
        [VideoTransition.BeginUpload] = ([], P),
        [VideoTransition.BeginImport] = ([], U),
        [VideoTransition.MarkUploading] = ([P], U),
        [VideoTransition.CompleteUpload] = ([P, U], Pr),
        [VideoTransition.RejectUpload] = ([P, U], F),
        [VideoTransition.MarkPlayable] = ([Pr], Pr),
        [VideoTransition.MarkReady] = ([Pr], R),
        [VideoTransition.Fail] = ([Pr], F),
        [VideoTransition.Cancel] = ([Pr], F),
        [VideoTransition.Requeue] = ([F, R], Pr),
        [VideoTransition.ExpireUpload] = ([P, U], F),
        [VideoTransition.AbortUpload] = ([P, U], null),
        [VideoTransition.Delete] = ([P, U, Pr, R, F], null),
    };

    public static TheoryData<VideoTransition, VideoStatus> EveryPair()
    {
        var data = new TheoryData<VideoTransition, VideoStatus>();
        foreach (var t in Enum.GetValues<VideoTransition>())
            foreach (var status in Enum.GetValues<VideoStatus>()) data.Add(t, status);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void A_transition_is_allowed_exactly_from_the_listed_statuses(VideoTransition transition, VideoStatus status) =>
        Assert.Equal(Expected[transition].From.Contains(status), VideoTransitions.Allows(transition, status));

    [Fact]
    public void Every_transition_has_its_target_and_no_other_is_declared()
    {
        Assert.Equal(Expected.Keys.Order(), Enum.GetValues<VideoTransition>().Order());
        foreach (var (transition, (_, to)) in Expected) Assert.Equal(to, VideoTransitions.To(transition));
    }

    [Fact]
    public void The_wire_names_are_the_strings_the_database_and_the_api_always_used()
    {
        Assert.Equal(["pending_upload", "uploading", "processing", "ready", "failed"], Wire.All<VideoStatus>());
        Assert.Equal(["active", "completed", "aborted", "expired"], Wire.All<UploadState>());
        Assert.Equal(["single", "multipart", "import"], Wire.All<UploadMode>());
        Assert.Equal(VideoStatus.PendingUpload, Wire.Parse<VideoStatus>("pending_upload"));
        Assert.False(Wire.TryParse<VideoStatus>("PendingUpload", out _));
        Assert.DoesNotContain(VideoTransitions.Deleted, Wire.All<VideoStatus>());
    }
}

using StreamForge.Core.Data;
using StreamForge.Core.Videos;

namespace StreamForge.Tests.Videos;

/// <summary>The lifecycle table, pair by pair: every transition against every status, allowed or refused.</summary>
public sealed class VideoTransitionsTests
{
    private const string P = VideoStatus.PendingUpload, U = VideoStatus.Uploading, Pr = VideoStatus.Processing, R = VideoStatus.Ready, F = VideoStatus.Failed;

    /// <summary>Written out by hand on purpose: a change to the table must be a change here too.</summary>
    private static readonly Dictionary<VideoTransition, (string[] From, string? To)> Expected = new()
    {
        [VideoTransition.BeginUpload] = ([], P),
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

    public static TheoryData<VideoTransition, string> EveryPair()
    {
        var data = new TheoryData<VideoTransition, string>();
        foreach (var t in Enum.GetValues<VideoTransition>())
            foreach (var status in VideoStatus.All) data.Add(t, status);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void A_transition_is_allowed_exactly_from_the_listed_statuses(VideoTransition transition, string status) =>
        Assert.Equal(Expected[transition].From.Contains(status), VideoTransitions.Allows(transition, status));

    [Fact]
    public void Every_transition_has_its_target_and_no_other_is_declared()
    {
        Assert.Equal(Expected.Keys.Order(), Enum.GetValues<VideoTransition>().Order());
        foreach (var (transition, (_, to)) in Expected) Assert.Equal(to, VideoTransitions.To(transition));
    }

    [Fact]
    public void Nothing_leaves_a_status_the_database_does_not_know_and_deleted_is_never_stored()
    {
        foreach (var t in Enum.GetValues<VideoTransition>())
        {
            Assert.All(VideoTransitions.From(t), s => Assert.Contains(s, VideoStatus.All));
            if (VideoTransitions.To(t) is { } to) Assert.Contains(to, VideoStatus.All);
        }
        Assert.DoesNotContain(VideoTransitions.Deleted, VideoStatus.All);
    }
}

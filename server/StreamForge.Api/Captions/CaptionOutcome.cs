using StreamForge.Core.Videos;

namespace StreamForge.Api.Captions;

/// <summary>What a caption change came to: the saved <see cref="Track"/>, or why not (<see cref="Field"/> names the bad input).</summary>
public sealed record CaptionOutcome(CaptionOutcomeKind Kind, CaptionTrackDto? Track = null, string? Reason = null, string? Field = null)
{
    public static CaptionOutcome Saved(CaptionTrackDto track) => new(CaptionOutcomeKind.Saved, track);
    public static readonly CaptionOutcome Removed = new(CaptionOutcomeKind.Removed);
    public static readonly CaptionOutcome VideoNotFound = new(CaptionOutcomeKind.VideoNotFound);
    public static readonly CaptionOutcome TrackNotFound = new(CaptionOutcomeKind.TrackNotFound);
    public static CaptionOutcome InvalidField(string field, string reason) => new(CaptionOutcomeKind.InvalidField, Reason: reason, Field: field);
    public static CaptionOutcome InvalidFile(string reason) => new(CaptionOutcomeKind.InvalidFile, Reason: reason);
    public static CaptionOutcome TooLarge(string reason) => new(CaptionOutcomeKind.TooLarge, Reason: reason);
    public static CaptionOutcome Conflict(string reason) => new(CaptionOutcomeKind.Conflict, Reason: reason);
}

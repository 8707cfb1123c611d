namespace StreamForge.Core.Videos;

/// <summary>What a conditional UPDATE/DELETE of a video returns: enough to move the quota and announce the change.</summary>
internal sealed record TransitionRow(Guid OwnerId, long SizeBytes, int Progress);

namespace StreamForge.Core.Videos;

/// <summary>What MarkPlayable's UPDATE returns: whether this call made the video playable for the first time.</summary>
internal sealed record PlayableRow(int Progress, bool First, DateTimeOffset PlayableAt);

namespace StreamForge.Core.Videos;

/// <summary>What RecordRetry's UPDATE returns: whether the failed attempt had been serving growing media.</summary>
internal sealed record RetryRow(Guid OwnerId, int Progress, bool WasGrowing);

namespace StreamForge.Core.Events;

/// <summary>What the worker and API tell browsers about a video; travels as the NOTIFY payload.</summary>
/// <param name="ManifestUrl">
/// Set only on the playable announcement (status processing, media still growing); every other event leaves it null,
/// so a cancel or failure never points a browser at media that is being removed.
/// </param>
/// <param name="PlayableAt">When the video first became playable while processing; set with <paramref name="ManifestUrl"/>.</param>
public sealed record VideoEvent(
    Guid VideoId, Guid OwnerId, string Status, int Progress, string? Error = null, string? QueuedReason = null,
    string? ManifestUrl = null, DateTimeOffset? PlayableAt = null)
{
    public const string Channel = "video_events";
}

using StreamForge.Core.Videos;

namespace StreamForge.Api.Videos;

/// <summary>How an owner's action on a video ended, with the video as it is now when it succeeded.</summary>
public sealed record VideoActionResult(TransitionOutcome Outcome, VideoDto? Video = null);

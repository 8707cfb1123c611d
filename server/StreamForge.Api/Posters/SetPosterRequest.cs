namespace StreamForge.Api.Posters;

/// <summary>Exactly one of the two: a tile of the published thumbnails (0 = the first), or an instant of the video in seconds.</summary>
public sealed record SetPosterRequest(int? FromSprite, double? AtSeconds);

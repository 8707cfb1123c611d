namespace StreamForge.Api.Posters;

/// <summary>What a poster choice came to: the accepted <see cref="Poster"/>, or why not (<see cref="Field"/> names the bad input).</summary>
public sealed record PosterOutcome(PosterOutcomeKind Kind, PosterDto? Poster = null, string? Reason = null, string? Field = null)
{
    public static PosterOutcome Accepted(PosterDto poster) => new(PosterOutcomeKind.Accepted, poster);
    public static readonly PosterOutcome VideoNotFound = new(PosterOutcomeKind.VideoNotFound);
    public static PosterOutcome InvalidField(string field, string reason) => new(PosterOutcomeKind.InvalidField, Reason: reason, Field: field);
    public static PosterOutcome InvalidImage(string reason) => new(PosterOutcomeKind.InvalidImage, Reason: reason);
    public static PosterOutcome UnsupportedType(string reason) => new(PosterOutcomeKind.UnsupportedType, Reason: reason);
    public static PosterOutcome TooLarge(string reason) => new(PosterOutcomeKind.TooLarge, Reason: reason);
    public static PosterOutcome Conflict(string reason) => new(PosterOutcomeKind.Conflict, Reason: reason);
}

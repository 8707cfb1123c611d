namespace StreamForge.Media;

/// <summary>A static MPD as far as we need it: representations and their expanded segment timelines.</summary>
public sealed record DashMpd(double? MediaPresentationDuration, IReadOnlyList<DashRepresentation> Representations)
{
    public DashRepresentation this[string id] =>
        Representations.FirstOrDefault(r => r.Id == id) ?? throw new KeyNotFoundException($"MPD has no representation '{id}'");
}

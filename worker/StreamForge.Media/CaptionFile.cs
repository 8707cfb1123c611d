namespace StreamForge.Media;

/// <summary>A caption track with its normalised WebVTT text, for writing it into a version's output.</summary>
public sealed record CaptionFile(string Lang, string Label, string Vtt)
{
    public CaptionTrack Track => new(Lang, Label, CaptionPaths.VttKey(Lang));
}

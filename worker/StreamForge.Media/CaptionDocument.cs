namespace StreamForge.Media;

/// <summary>The normalised file and what it holds.</summary>
public sealed record CaptionDocument(string Vtt, int CueCount, double LastCueEnd);

namespace StreamForge.Core.Data;

/// <summary>One caption track of a video, per language.</summary>
public sealed class Caption
{
    public Guid VideoId { get; set; }
    /// <summary>Canonical BCP-47 tag; names the file (captions/{lang}.vtt).</summary>
    public string Lang { get; set; } = "";
    public string Label { get; set; } = "";
    /// <summary>
    /// The normalised WebVTT text (small: the upload is capped). Kept here as well as in storage so that reprocessing,
    /// which publishes a new media version and removes the old one, writes the same captions into the new version.
    /// </summary>
    public string Vtt { get; set; } = "";
    public int CueCount { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

namespace StreamForge.Api.Captions;

/// <summary>Limits on caption uploads (section "Captions").</summary>
public sealed class CaptionOptions
{
    public const string Section = "Captions";

    /// <summary>Largest caption file accepted, in bytes. Captions are text sent in the request body, so this stays small.</summary>
    public int MaxBytes { get; set; } = 1_000_000;

    /// <summary>Caption tracks (languages) one video may have.</summary>
    public int MaxTracks { get; set; } = 20;
}

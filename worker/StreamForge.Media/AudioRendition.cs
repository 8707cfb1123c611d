using System.Text.Json.Serialization;

namespace StreamForge.Media;

/// <summary>
/// One AAC audio rendition. In manifest.json's <c>audioTracks</c> each also names its <see cref="Id"/>,
/// <see cref="Lang"/>, <see cref="Label"/> and whether it is the <see cref="Default"/>; the legacy <c>audio</c> entry
/// (the default track, for players that know only one) leaves those out, so it reads exactly as before.
/// </summary>
public sealed record AudioRendition(
    string Codecs,
    string MimeType,
    long Bandwidth,
    string Init,
    IReadOnlyList<ManifestSegment> Segments)
{
    [JsonPropertyOrder(-4)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; init; }

    /// <summary>BCP-47 tag from the source stream's language tag; "und" when it had none.</summary>
    [JsonPropertyOrder(-3)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Lang { get; init; }

    /// <summary>The source stream's title, or "Track n".</summary>
    [JsonPropertyOrder(-2)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Label { get; init; }

    [JsonPropertyOrder(-1)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Default { get; init; }

    [JsonIgnore]
    public long Timescale { get; init; } = 1;

    [JsonIgnore]
    public int SamplingRate { get; init; }

    [JsonIgnore]
    public int Channels { get; init; } = 2;

    /// <summary>The legacy single-track form: the representation without the track fields.</summary>
    public AudioRendition WithoutTrackFields() => this with { Id = null, Lang = null, Label = null, Default = null };
}

using System.Text.Json.Serialization;

namespace StreamForge.Media;

/// <summary>
/// The playback manifest, written as <c>manifest.json</c>; every URL is relative to it. <see cref="Mpd"/> and
/// <see cref="Hls"/> name the DASH MPD and the HLS master playlist written from this same model for other players.
/// Tick values marked [JsonIgnore] are kept so <see cref="MpdWriter"/> writes the MPD from this same model.
/// <see cref="Captions"/> is left out of the JSON while a video has none, so older readers see the file unchanged.
/// While a version is still being encoded (playable while processing) <see cref="Complete"/> is false, the segment
/// lists hold what is published so far, <see cref="Duration"/> is where that media ends, <see cref="ExpectedDuration"/>
/// is the source's probed length and <see cref="SegmentCount"/> the number of video segments per rung. A manifest
/// written before this existed has no "complete" and reads as complete.
/// <see cref="AudioTracks"/> lists every audio track (the first is the default); <see cref="Audio"/> repeats the default
/// in the one-track form older players read.
/// </summary>
public sealed record Manifest(
    int Version,
    string VideoId,
    double Duration,
    IReadOnlyList<VideoRendition> Video,
    AudioRendition? Audio,
    ThumbnailSet Thumbnails,
    string Mpd,
    string Poster,
    string? Hls = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<CaptionTrack>? Captions = null,
    bool Complete = true,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ExpectedDuration = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? SegmentCount = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<AudioRendition>? AudioTracks = null)
{
    /// <summary>
    /// Every audio track with its id, language and label: <see cref="AudioTracks"/>, or for a manifest written before
    /// it existed, <see cref="Audio"/> as track "audio" of unknown language.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<AudioRendition> AllAudioTracks =>
        AudioTracks ?? (Audio is null ? [] : [Audio with { Id = AudioTrackPlan.IdOf(1), Lang = "und", Label = "Track 1", Default = true }]);

    /// <summary>This manifest with these audio tracks (the first is the default) and <see cref="Audio"/> kept in step.</summary>
    public Manifest WithAudioTracks(IReadOnlyList<AudioRendition> tracks) => this with
    {
        AudioTracks = tracks.Count == 0 ? null : tracks,
        Audio = tracks.Count == 0 ? null : tracks[0].WithoutTrackFields(),
    };

    /// <summary>
    /// While a version grows: the wall-clock instant its encoding began, which the dynamic MPD names as
    /// availabilityStartTime. Null in a complete manifest.
    /// </summary>
    [JsonIgnore]
    public DateTimeOffset? GrowingSince { get; init; }
}

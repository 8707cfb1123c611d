namespace StreamForge.Media;

/// <summary>
/// One audio track of the output: source stream <see cref="Stream"/> becomes AAC rendition <see cref="Number"/>
/// (1-based, container order). <see cref="RepresentationId"/> is what ffmpeg's DASH muxer calls it (its output stream index).
/// </summary>
public sealed record AudioTrackPlan(int Number, AudioStreamInfo Stream, string Lang, string Label, string RepresentationId)
{
    /// <summary>
    /// The track's id in manifest.json and the MPD. The first is "audio", as the one track of every version processed
    /// before there were several, so its keys and representation id stay the same.
    /// </summary>
    public string Id => IdOf(Number);

    public static string IdOf(int number) => number == 1 ? "audio" : $"audio-{number}";

    /// <summary>
    /// Every audio stream of the source up to <paramref name="maxTracks"/>, each with its language (a BCP-47 tag from the
    /// stream's language tag, "und" when it has none or a malformed one) and label (its title, else "Track n"). A stream
    /// ffprobe could name no codec for is left out: ffmpeg could not decode it either, and one such stream would fail
    /// the whole encode.
    /// </summary>
    /// <param name="firstRepresentationId">ffmpeg's output stream index of the first audio track (the rung count).</param>
    public static IReadOnlyList<AudioTrackPlan> Plan(ProbeResult probe, int maxTracks, int firstRepresentationId) =>
        probe.AllAudio
            .Where(stream => stream.Codec is not ("unknown" or "none"))
            .Take(Math.Max(0, maxTracks))
            .Select((stream, i) => new AudioTrackPlan(
                Number: i + 1,
                Stream: stream,
                Lang: LanguageTag.Normalize(stream.Language) ?? "und",
                Label: LabelOf(stream.Title, i + 1),
                RepresentationId: (firstRepresentationId + i).ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

    /// <summary>The title without control characters and at most 100 characters; "Track n" when there is none.</summary>
    private static string LabelOf(string? title, int number)
    {
        var clean = new string((title ?? "").Where(c => !char.IsControl(c)).ToArray()).Trim();
        return clean.Length == 0 ? $"Track {number}" : clean.Length > 100 ? clean[..100] : clean;
    }
}

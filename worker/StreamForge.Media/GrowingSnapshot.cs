namespace StreamForge.Media;

/// <param name="Files">Every closed file seen so far (init segments, media segments in track order, complete sprite sheets).</param>
/// <param name="Manifest">
/// The growing manifest over (a subset of) <see cref="Files"/>, or null until every video rung and every audio track have a closed segment.
/// </param>
public sealed record GrowingSnapshot(IReadOnlyList<GrowingFile> Files, Manifest? Manifest);

namespace StreamForge.Media;

/// <summary>The result of <see cref="MediaProcessor.ProcessAsync"/>: everything under <see cref="OutputRoot"/> is listed in <see cref="OutputFiles"/>.</summary>
public sealed record ProcessedMedia(
    ProbeResult Probe,
    IReadOnlyList<Rung> Rungs,
    Manifest Manifest,
    IReadOnlyList<OutputFile> OutputFiles,
    string OutputRoot);

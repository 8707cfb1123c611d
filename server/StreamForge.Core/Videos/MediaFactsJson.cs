using System.Text.Json;

namespace StreamForge.Core.Videos;

/// <summary>The one JSON form of <see cref="ProbeFacts"/> and <see cref="RenditionFacts"/>: the worker writes with it, the API reads with it.</summary>
public static class MediaFactsJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write(ProbeFacts probe) => JsonSerializer.Serialize(probe, Options);

    public static string Write(IReadOnlyList<RenditionFacts> renditions) => JsonSerializer.Serialize(renditions, Options);

    public static ProbeFacts? ReadProbe(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<ProbeFacts>(json, Options);

    public static IReadOnlyList<RenditionFacts> ReadRenditions(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<RenditionFacts>>(json, Options) ?? [];
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace StreamForge.Media;

/// <summary>manifest.json serialisation: camelCase, indented, a missing audio track written as <c>"audio": null</c>.</summary>
public static class ManifestJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Serialize(Manifest manifest) => JsonSerializer.Serialize(manifest, Options);

    public static Manifest Deserialize(string json) =>
        JsonSerializer.Deserialize<Manifest>(json, Options) ?? throw new JsonException("manifest.json is null");
}

using StreamForge.Api.Infrastructure;

namespace StreamForge.Api.Keys;

/// <summary>What a new key's name and scopes must be; the field errors of a refused request, or null.</summary>
public static class ApiKeyRules
{
    public const int MaxNameLength = 100;

    public static Dictionary<string, string[]>? Check(string? name, IReadOnlyList<string>? scopes)
    {
        var fields = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(name)) fields["name"] = ["name must not be empty."];
        else if (name.Trim().Length > MaxNameLength) fields["name"] = [$"name must be at most {MaxNameLength} characters."];
        else if (name.Any(char.IsControl) || InputRules.HasBidiControl(name)) fields["name"] = ["name must not contain control characters."];

        if (scopes is null || scopes.Count == 0)
            fields["scopes"] = [$"scopes must name at least one of: {string.Join(", ", ApiScopes.All)}."];
        else if (scopes.FirstOrDefault(s => !ApiScopes.All.Contains(s)) is { } unknown)
            fields["scopes"] = [$"unknown scope '{Shorten(unknown)}'; scopes are {string.Join(", ", ApiScopes.All)}."];
        return fields.Count == 0 ? null : fields;
    }

    /// <summary>Stored in the order <see cref="ApiScopes.All"/> lists them, each once.</summary>
    public static List<string> Normalize(IEnumerable<string> scopes) => ApiScopes.All.Where(scopes.Contains).ToList();

    private static string Shorten(string? text) => text is null ? "null" : text.Length > 40 ? text[..40] + "…" : text;
}

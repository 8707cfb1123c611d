using System.Text.RegularExpressions;

namespace StreamForge.Media;

/// <summary>BCP-47 language tags as caption keys: checked, then in canonical case ("EN-us" → "en-US").</summary>
public static partial class LanguageTag
{
    public const int MaxLength = 35;

    /// <summary>The canonical tag, or null when <paramref name="tag"/> is not a well-formed (simple) BCP-47 tag.</summary>
    public static string? Normalize(string? tag)
    {
        if (string.IsNullOrEmpty(tag) || tag.Length > MaxLength || !Shape().IsMatch(tag))
        {
            return null;
        }

        var parts = tag.Split('-');
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = i == 0 ? parts[i].ToLowerInvariant()
                : parts[i].Length == 2 && char.IsAsciiLetter(parts[i][0]) ? parts[i].ToUpperInvariant()
                : parts[i].Length == 4 && char.IsAsciiLetter(parts[i][0]) ? char.ToUpperInvariant(parts[i][0]) + parts[i][1..].ToLowerInvariant()
                : parts[i].ToLowerInvariant();
        }

        return string.Join('-', parts);
    }

    /// <summary>A 2–3 letter language (or "x"/"i" private use), then subtags of 1–8 letters or digits.</summary>
    [GeneratedRegex(@"^(?:[A-Za-z]{2,3}|[xXiI])(?:-[A-Za-z0-9]{1,8})*\z")]
    private static partial Regex Shape();
}

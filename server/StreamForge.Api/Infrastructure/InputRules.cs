using StreamForge.Core.Data;

namespace StreamForge.Api.Infrastructure;

/// <summary>Checks shared by every endpoint that accepts user-chosen names.</summary>
public static class InputRules
{
    public static string? CheckTitle(string? title)
    {
        if (string.IsNullOrWhiteSpace(title)) return "title must not be empty.";
        if (title.Length > 200) return "title must be at most 200 characters.";
        if (title.Any(char.IsControl)) return "title must not contain control characters.";
        if (title.Any(IsBidiControl)) return "title must not contain bidirectional control characters.";
        return null;
    }

    /// <summary>An integrator's own reference (their id for the video), echoed back in the API and webhooks.</summary>
    public static string? CheckPassthrough(string? passthrough)
    {
        if (passthrough is null) return null;
        if (passthrough.Length > 255) return "passthrough must be at most 255 characters.";
        if (passthrough.Any(char.IsControl)) return "passthrough must not contain control characters.";
        return null;
    }

    /// <summary>"visibility must be …" when <paramref name="visibility"/> is given and is not one of the three; null otherwise.</summary>
    public static string? CheckVisibility(string? visibility) =>
        visibility is null || Wire.TryParse<VideoVisibility>(visibility, out _) ? null : "visibility must be one of public, unlisted, private.";

    /// <summary>A visibility that passed <see cref="CheckVisibility"/>; null stays null.</summary>
    public static VideoVisibility? ParseVisibility(string? visibility) =>
        Wire.TryParse<VideoVisibility>(visibility, out var v) ? v : null;

    public static string? CheckFileName(string? fileName)
    {
        if (string.IsNullOrWhiteSpace(fileName)) return "fileName must not be empty.";
        if (fileName.Length > 255) return "fileName must be at most 255 characters.";
        if (fileName.Any(char.IsControl)) return "fileName must not contain control characters.";
        if (fileName.Any(IsBidiControl)) return "fileName must not contain bidirectional control characters.";
        if (fileName.IndexOfAny(['/', '\\']) >= 0) return "fileName must be a bare file name without path separators.";
        if (fileName.Trim() is "." or "..") return "fileName must be a file name.";
        return null;
    }

    /// <summary>
    /// Embeddings, overrides and isolates reorder what is shown ("clip\u202Egpj.exe" reads as "clipexe.jpg"):
    /// refused in names other people see. Other format characters (zero-width joiners in emoji) stay allowed.
    /// </summary>
    public static bool HasBidiControl(string text) => text.Any(IsBidiControl);

    private static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';

    /// <summary>Title shown for an upload without one: the file name without its extension.</summary>
    public static string DefaultTitle(string fileName)
    {
        var stem = Path.GetFileNameWithoutExtension(fileName).Trim();
        return stem.Length == 0 ? fileName : stem.Length > 200 ? stem[..200] : stem;
    }
}

using StreamForge.Api.Infrastructure;

namespace StreamForge.Api.Uploads;

public static class UploadValidation
{
    public static readonly int[] Qualities = [360, 480, 720, 1080];
    private const int MaxETagLength = 128;

    public static Dictionary<string, string[]> Validate(CreateUploadRequest body)
    {
        var errors = new Dictionary<string, string[]>();
        if (InputRules.CheckFileName(body.FileName) is { } fileName) errors["fileName"] = [fileName];
        if (body.Size is null) errors["size"] = ["size is required (bytes)."];
        else if (body.Size <= 0) errors["size"] = ["size must be a positive number of bytes."];
        if (body.Title is not null && InputRules.CheckTitle(body.Title) is { } title) errors["title"] = [title];
        if (body.MaxQuality is { } q && !Qualities.Contains(q)) errors["maxQuality"] = ["maxQuality must be one of 360, 480, 720, 1080."];
        if (InputRules.CheckPassthrough(body.Passthrough) is { } passthrough) errors["passthrough"] = [passthrough];
        if (InputRules.CheckVisibility(body.Visibility) is { } visibility) errors["visibility"] = [visibility];
        if (CheckContentType(body.ContentType) is { } type) errors["contentType"] = [type];
        return errors;
    }

    /// <summary>Browsers send an empty type for some containers (mkv); anything explicit must be a video.</summary>
    private static string? CheckContentType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType) || contentType == "application/octet-stream") return null;
        if (contentType.Length > 127 || contentType.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)) || contentType.Count(c => c == '/') != 1)
            return "contentType must be a media type such as video/mp4.";
        return contentType.StartsWith("video/", StringComparison.OrdinalIgnoreCase) ? null : "contentType must be a video type (video/*).";
    }

    public static string NormalizeContentType(string? contentType) =>
        string.IsNullOrEmpty(contentType) ? "application/octet-stream" : contentType.ToLowerInvariant();

    /// <summary>S3 ETags are quoted hex digests, "-N"-suffixed for multipart; accept them quoted or bare.</summary>
    public static string? CheckETag(string? etag)
    {
        if (string.IsNullOrWhiteSpace(etag)) return "etag is required.";
        if (etag.Length > MaxETagLength) return $"etag must be at most {MaxETagLength} characters.";
        var bare = etag.Trim('"');
        if (bare.Length == 0 || !bare.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')) return "etag must be the ETag header the storage returned for the part.";
        return null;
    }

    public static string QuoteETag(string etag) => $"\"{etag.Trim('"')}\"";
}

using StreamForge.Api.Infrastructure;
using StreamForge.Api.Uploads;

namespace StreamForge.Api.DirectUploads;

public static class DirectUploadValidation
{
    public static Dictionary<string, string[]> Validate(CreateDirectUploadRequest body, DirectUploadOptions options)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.Title is not null && InputRules.CheckTitle(body.Title) is { } title) errors["title"] = [title];
        if (body.MaxQuality is { } q && !UploadValidation.Qualities.Contains(q)) errors["maxQuality"] = ["maxQuality must be one of 360, 480, 720, 1080."];
        if (InputRules.CheckPassthrough(body.Passthrough) is { } passthrough) errors["passthrough"] = [passthrough];
        if (InputRules.CheckVisibility(body.Visibility) is { } visibility) errors["visibility"] = [visibility];
        if (body.AllowedOrigin is not null && NormalizeOrigin(body.AllowedOrigin) is null)
            errors["allowedOrigin"] = ["allowedOrigin must be an origin such as https://partner.example (scheme, host and optional port; no path)."];
        var max = (long)options.MaxExpiry.TotalSeconds;
        if (body.ExpiresInSeconds is { } s && (s < 60 || s > max))
            errors["expiresInSeconds"] = [$"expiresInSeconds must be between 60 and {max}."];
        return errors;
    }

    /// <summary>"https://Partner.example:443/" → "https://partner.example": what browsers send in Origin; null when not an origin.</summary>
    public static string? NormalizeOrigin(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.Length is 0 or > 255 || !Uri.TryCreate(trimmed, UriKind.Absolute, out var u)) return null;
        if (u.Scheme is not ("http" or "https") || u.UserInfo.Length > 0 || u.AbsolutePath != "/" || u.Query.Length > 0 || u.Fragment.Length > 0) return null;
        if (trimmed.TrimEnd('/').Count(c => c == '/') != 2) return null;
        return u.IsDefaultPort ? $"{u.Scheme}://{u.IdnHost}" : $"{u.Scheme}://{u.IdnHost}:{u.Port}";
    }
}

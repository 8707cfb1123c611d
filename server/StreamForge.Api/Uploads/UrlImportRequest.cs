namespace StreamForge.Api.Uploads;

/// <summary>POST /uploads/from-url: where the worker fetches the file from, and the video's title and quality cap.</summary>
public sealed record UrlImportRequest(string? Url, string? Title, int? MaxQuality, string? Visibility = null);

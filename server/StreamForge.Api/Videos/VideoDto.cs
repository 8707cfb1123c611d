using System.Text.Json;
using StreamForge.Core.Data;

namespace StreamForge.Api.Videos;

public sealed record VideoDto(
    Guid Id, Guid OwnerId, string? OwnerEmail, string Title, string FileName, string Status, int Progress, long SizeBytes,
    int? MaxQuality, double? DurationSeconds, int? Width, int? Height, string? ManifestUrl, string? PosterUrl,
    string? ThumbnailsVttUrl, int ProcessingAttempts, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? ReadyAt, JsonElement? Probe, JsonElement? Renditions);

public sealed record PagedList<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

public sealed class VideoMapper
{
    public VideoDto ToDto(Video v) => new(
        v.Id, v.OwnerId, v.Owner?.Email, v.Title, v.FileName, v.Status, v.Progress, v.SizeBytes, v.MaxQuality,
        v.DurationSeconds, v.Width, v.Height, v.ManifestUrl, v.PosterUrl, v.ThumbnailsVttUrl, v.ProcessingAttempts,
        v.LastError, v.CreatedAt, v.UpdatedAt, v.ReadyAt, Parse(v.ProbeJson), Parse(v.RenditionsJson));

    private static JsonElement? Parse(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonDocument.Parse(json).RootElement.Clone();
}

namespace StreamForge.Api.Videos;

/// <summary>PATCH /videos/{id}: a new title, a new visibility ("public", "unlisted", "private"), or both; at least one.</summary>
public sealed record UpdateVideoRequest(string? Title, string? Visibility = null);

namespace StreamForge.Api.Videos;

public sealed record UpdateVideoRequest(string? Title);

namespace StreamForge.Api.Posters;

/// <param name="Status">The latest choice: "preparing" (a worker is making it), "ready", "failed" (see <see cref="Error"/>), or "default" (the worker's own poster, never changed).</param>
/// <param name="Url">The poster shown now; a chosen one replaces it when it is ready.</param>
/// <param name="Error">Why the latest choice failed, for the owner.</param>
public sealed record PosterDto(string Status, string? Url, string? Error);

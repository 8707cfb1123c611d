namespace StreamForge.Api.Web;

/// <summary>What a pasted watch link unfurls to; every URL absolute.</summary>
public sealed record WatchPageFacts(string Title, string PageUrl, string? PosterUrl, double? DurationSeconds);

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Api.Email;
using StreamForge.Core.Data;

namespace StreamForge.Api.Web;

/// <summary>The facts a watch page's link preview shows, for the videos whose links may unfurl.</summary>
public sealed class WatchPages(StreamForgeDbContext db, IOptions<AppOptions> app)
{
    /// <summary>Null when the video does not exist or its link must not unfurl.</summary>
    public async Task<WatchPageFacts?> FindAsync(Guid id, HttpRequest request, CancellationToken ct)
    {
        var video = await db.Videos.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id, ct);
        if (video is null || !Unfurls(video)) return null;
        // The configured public address where there is one: a preview names the app as users reach it, whatever
        // Host header the request came with.
        var configured = app.Value.PublicUrl;
        var origin = string.IsNullOrWhiteSpace(configured)
            ? new Uri($"{request.Scheme}://{request.Host}{request.PathBase}/")
            : new Uri(configured.TrimEnd('/') + "/");
        return new WatchPageFacts(
            video.Title,
            new Uri(origin, $"watch/{id:D}").ToString(),
            video.PosterUrl is null ? null : new Uri(origin, video.PosterUrl).ToString(),
            video.DurationSeconds);
    }

    /// <summary>
    /// The one place that decides whether a video's title and poster may be shown to anyone holding its link: public and
    /// unlisted videos once they can be watched (ready or playable while processing); private videos never, since a
    /// preview is fetched without the viewer's session or share link.
    /// </summary>
    public static bool Unfurls(Video video) => video.Visibility != VideoVisibility.Private && Playable(video);

    /// <summary>Whether the video can be watched now: ready, or playable while still processing.</summary>
    public static bool Playable(Video video) =>
        video.Status == VideoStatus.Ready || (video.ManifestUrl is not null && video.PlayableAt is not null);
}

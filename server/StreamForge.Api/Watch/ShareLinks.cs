using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using StreamForge.Api.Email;
using StreamForge.Api.Infrastructure;
using StreamForge.Api.Videos;
using StreamForge.Core.Data;

namespace StreamForge.Api.Watch;

/// <summary>
/// Share links to a video (owner or admin): a token (<c>sh_</c> + 32 random bytes, kept as a SHA-256) that lets whoever
/// holds it watch the video while it is private, until it expires or is revoked.
/// </summary>
public sealed class ShareLinks(StreamForgeDbContext db, MailLinks links, TimeProvider clock)
{
    public const string Prefix = "sh_";
    public const int DefaultHours = 168;
    public const int MaxHours = 720;
    public const int MaxLivePerVideo = 20;

    public async Task<Outcome<ShareLinkCreated>> CreateAsync(Guid videoId, CreateShareLinkRequest body, ClaimsPrincipal principal, HttpRequest request, CancellationToken ct)
    {
        if (!await db.Videos.VisibleTo(principal).AnyAsync(v => v.Id == videoId, ct)) return Refusal.NotFound;
        if (body.ExpiresInHours is { } h && (h < 1 || h > MaxHours))
            return Refusal.Invalid(new() { ["expiresInHours"] = [$"expiresInHours must be between 1 and {MaxHours}."] });
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await db.LockVideoAsync(videoId, ct)) return Refusal.NotFound;
        var live = await db.ShareLinks.CountAsync(s => s.VideoId == videoId && s.RevokedAt == null && s.ExpiresAt > now, ct);
        if (live >= MaxLivePerVideo)
            return Refusal.Conflict($"This video already has {live} live share links (the limit is {MaxLivePerVideo}); revoke some or let them expire.");
        var token = RandomSecret.New(Prefix);
        var link = new ShareLink
        {
            Id = Guid.NewGuid(), VideoId = videoId, TokenHash = RandomSecret.Hash(token),
            ExpiresAt = now.AddHours(body.ExpiresInHours ?? DefaultHours), CreatedAt = now,
        };
        db.ShareLinks.Add(link);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var url = $"{links.BaseUrl(request) ?? $"{request.Scheme}://{request.Host}{request.PathBase}"}/watch/{videoId:D}?share={token}";
        return new ShareLinkCreated(link.Id, url, token, link.ExpiresAt, link.CreatedAt);
    }

    public async Task<List<ShareLinkDto>?> ListAsync(Guid videoId, ClaimsPrincipal principal, CancellationToken ct)
    {
        if (!await db.Videos.VisibleTo(principal).AnyAsync(v => v.Id == videoId, ct)) return null;
        return await db.ShareLinks.AsNoTracking().Where(s => s.VideoId == videoId).OrderByDescending(s => s.CreatedAt).Take(100)
            .Select(s => new ShareLinkDto(s.Id, s.ExpiresAt, s.CreatedAt, s.RevokedAt)).ToListAsync(ct);
    }

    /// <summary>Revokes the link (kept as history); false when the video or the link is not there for this caller.</summary>
    public async Task<bool> RevokeAsync(Guid videoId, Guid linkId, ClaimsPrincipal principal, CancellationToken ct)
    {
        if (!await db.Videos.VisibleTo(principal).AnyAsync(v => v.Id == videoId, ct)) return false;
        var now = clock.GetUtcNow();
        if (await db.ShareLinks.Where(s => s.Id == linkId && s.VideoId == videoId && s.RevokedAt == null)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.RevokedAt, now), ct) > 0)
            return true;
        return await db.ShareLinks.AnyAsync(s => s.Id == linkId && s.VideoId == videoId, ct);
    }

    /// <summary>The live (unrevoked, unexpired) link of this video that <paramref name="token"/> names, or null.</summary>
    public async Task<ShareLink?> FindLiveAsync(Guid videoId, string token, CancellationToken ct)
    {
        if (!RandomSecret.IsWellFormed(token, Prefix)) return null;
        var hash = RandomSecret.Hash(token);
        var now = clock.GetUtcNow();
        return await db.ShareLinks.AsNoTracking()
            .SingleOrDefaultAsync(s => s.TokenHash == hash && s.VideoId == videoId && s.RevokedAt == null && s.ExpiresAt > now, ct);
    }
}

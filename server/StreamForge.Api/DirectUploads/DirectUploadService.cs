using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Api.Email;
using StreamForge.Api.Infrastructure;
using StreamForge.Api.Uploads;
using StreamForge.Core.Data;

namespace StreamForge.Api.DirectUploads;

/// <summary>
/// Upload links: an account makes, lists and revokes them; a token holder creates exactly one upload with one.
/// The video is the owner's and is charged to the owner (the token's principal carries the owner as "sub").
/// </summary>
public sealed class DirectUploadService(
    StreamForgeDbContext db, UploadService uploads, MailLinks links, IOptions<DirectUploadOptions> options, TimeProvider clock)
{
    private DirectUploadOptions O => options.Value;

    public static readonly UploadError AlreadyUsed = UploadError.Conflict("This upload link was already used: a link uploads one video. Ask its owner for a new link.");

    public async Task<UploadResult<DirectUploadCreated>> CreateAsync(CreateDirectUploadRequest body, ClaimsPrincipal principal, HttpRequest request, CancellationToken ct)
    {
        var errors = DirectUploadValidation.Validate(body, O);
        if (errors.Count > 0) return UploadError.Invalid(errors);
        var userId = principal.UserId();
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await db.LockAccountAsync(userId, ct)) return UploadError.Conflict("This account no longer exists.");
        var open = await db.DirectUploads.CountAsync(d => d.UserId == userId && d.VideoId == null && d.ExpiresAt > now, ct);
        if (open >= O.MaxOpenPerAccount)
            return UploadError.Conflict($"This account already has {open} unused upload links (the limit is {O.MaxOpenPerAccount}); revoke some or let them expire.");
        var dayAgo = now.AddDays(-1);
        if (await db.DirectUploads.CountAsync(d => d.UserId == userId && d.CreatedAt > dayAgo, ct) >= O.MaxCreatedPerDay)
            return UploadError.Conflict($"This account made {O.MaxCreatedPerDay} upload links in the last 24 hours, the limit; try again later.");

        var token = DirectUploadToken.New();
        var link = new DirectUpload
        {
            Id = Guid.NewGuid(), UserId = userId, TokenHash = DirectUploadToken.Hash(token), Title = body.Title?.Trim(),
            MaxQuality = body.MaxQuality, Passthrough = body.Passthrough, Visibility = InputRules.ParseVisibility(body.Visibility),
            AllowedOrigin = body.AllowedOrigin is null ? null : DirectUploadValidation.NormalizeOrigin(body.AllowedOrigin),
            ExpiresAt = now.Add(body.ExpiresInSeconds is { } s ? TimeSpan.FromSeconds(s) : O.DefaultExpiry), CreatedAt = now,
        };
        db.DirectUploads.Add(link);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        // Without a configured public address (outside Development) the page's path still works relative to the app.
        var url = $"{links.BaseUrl(request) ?? ""}/u/{token}";
        return new DirectUploadCreated(link.Id, token, link.ExpiresAt, url);
    }

    public async Task<List<DirectUploadDto>> ListAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        var userId = principal.UserId();
        var now = clock.GetUtcNow();
        var rows = await db.DirectUploads.AsNoTracking().Where(d => d.UserId == userId)
            .OrderByDescending(d => d.CreatedAt).Take(100).ToListAsync(ct);
        return rows.Select(d => new DirectUploadDto(d.Id, d.Title, d.MaxQuality, d.Passthrough, d.AllowedOrigin, d.ExpiresAt, d.CreatedAt,
            d.VideoId is not null ? "used" : d.ExpiresAt <= now ? "expired" : "unused", d.VideoId, d.Visibility?.ToWire())).ToList();
    }

    /// <summary>Revokes an unused link (deleting it, so its token no longer authenticates); a used one is history.</summary>
    public async Task<UploadError?> RevokeAsync(Guid id, ClaimsPrincipal principal, CancellationToken ct)
    {
        var userId = principal.UserId();
        var deleted = await db.DirectUploads.Where(d => d.Id == id && d.UserId == userId && d.VideoId == null).ExecuteDeleteAsync(ct);
        if (deleted > 0) return null;
        return await db.DirectUploads.AnyAsync(d => d.Id == id && d.UserId == userId, ct)
            ? UploadError.Conflict("This upload link was already used; delete its video instead.")
            : UploadError.NotFound;
    }

    /// <summary>
    /// POST /uploads with a token: the link's title, quality cap and passthrough override the body, and the link is
    /// claimed for the new video id before the video exists (a conditional UPDATE), so two racing creates make one video.
    /// A create that fails after the claim gives the link back.
    /// </summary>
    public async Task<UploadResult<UploadCreated>> CreateUploadAsync(
        CreateUploadRequest body, ClaimsPrincipal principal, bool requireConfirmedEmail, CancellationToken ct)
    {
        var linkId = principal.DirectUploadId();
        var link = await db.DirectUploads.AsNoTracking().SingleOrDefaultAsync(d => d.Id == linkId, ct);
        if (link is null) return UploadError.NotFound;
        body = body with
        {
            Title = link.Title ?? body.Title, MaxQuality = link.MaxQuality ?? body.MaxQuality, Passthrough = link.Passthrough ?? body.Passthrough,
            Visibility = link.Visibility?.ToWire() ?? body.Visibility,
        };
        if (uploads.Check(body) is { } invalid) return invalid;
        if (link.VideoId is not null) return AlreadyUsed;
        var now = clock.GetUtcNow();
        if (link.ExpiresAt <= now) return Expired(link);

        var videoId = Guid.NewGuid();
        var claimed = await db.DirectUploads.Where(d => d.Id == linkId && d.VideoId == null && d.ExpiresAt > now)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.VideoId, videoId), ct);
        if (claimed == 0) return AlreadyUsed;

        UploadResult<UploadCreated> created;
        try
        {
            created = await uploads.CreateAsync(body, principal, requireConfirmedEmail, ct, videoId);
        }
        catch
        {
            await ReleaseAsync(linkId, videoId);
            throw;
        }
        if (created.Error is not null) await ReleaseAsync(linkId, videoId);
        return created;
    }

    private static UploadError Expired(DirectUpload link) =>
        new(UploadErrorKind.Gone, $"This upload link expired at {link.ExpiresAt:u} without being used. Ask its owner for a new link.");

    private Task<int> ReleaseAsync(Guid linkId, Guid videoId) =>
        db.DirectUploads.Where(d => d.Id == linkId && d.VideoId == videoId)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.VideoId, (Guid?)null), CancellationToken.None);
}

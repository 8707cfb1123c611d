using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Api.Infrastructure;
using StreamForge.Api.Videos;
using StreamForge.Core.Data;
using StreamForge.Core.Imports;
using StreamForge.Core.Outbound;
using StreamForge.Core.Processing;
using StreamForge.Core.Quota;
using StreamForge.Core.Storage;
using StreamForge.Core.Uploads;
using StreamForge.Core.Videos;

namespace StreamForge.Api.Uploads;

/// <summary>
/// Creates an import from a URL: the target is checked here (SSRF rules, before anything is stored), the video starts
/// uploading with an import session, and the worker fetches the bytes straight into storage (UrlImportPipeline). No
/// size is reserved up front: the worker charges what arrives, part by part.
/// </summary>
public sealed class UrlImportService(
    StreamForgeDbContext db, VideoLifecycle lifecycle, QuotaLedger quota, IProcessingQueue queue, VideoMapper mapper,
    IOptions<ImportOptions> imports, IOptions<UploadOptions> uploads, TimeProvider clock, ILogger<UrlImportService> log)
{
    public async Task<UploadResult<VideoDto>> ImportAsync(UrlImportRequest body, ClaimsPrincipal principal, bool requireConfirmedEmail, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (OutboundTargets.CheckUrl(body.Url, out var url) is { } urlProblem) errors["url"] = [urlProblem];
        if (body.Title is not null && InputRules.CheckTitle(body.Title) is { } title) errors["title"] = [title];
        if (body.MaxQuality is { } q && !UploadValidation.Qualities.Contains(q)) errors["maxQuality"] = ["maxQuality must be one of 360, 480, 720, 1080."];
        if (InputRules.CheckVisibility(body.Visibility) is { } visibility) errors["visibility"] = [visibility];
        if (errors.Count > 0) return UploadError.Invalid(errors);
        // Resolved now so a refused target is a 400 with its reason; the worker checks again where it connects.
        if (await OutboundTargets.CheckAsync(url!, imports.Value.AllowPrivateTargets, ct) is { } refused) return UploadError.Invalid("url", refused);

        var userId = principal.UserId();
        if (requireConfirmedEmail && !await db.Users.AnyAsync(u => u.Id == userId && u.EmailConfirmedAt != null, ct))
            return new UploadError(UploadErrorKind.EmailUnconfirmed,
                "Confirm your email address before importing: open the link in the confirmation mail, or ask for a new one (POST /api/v1/auth/confirm-email/resend).");
        var (used, limit) = await quota.UsageAsync(userId, ct);
        if (limit is { } l && used >= l)
            return new UploadError(UploadErrorKind.QuotaExceeded, $"Your storage quota of {l:N0} bytes is used up; delete videos to import more.");

        var videoId = Guid.NewGuid();
        var key = StorageKeys.Source(videoId);
        var fileName = FileNameOf(url!);
        var now = clock.GetUtcNow();
        var video = new Video
        {
            Id = videoId, OwnerId = userId, Title = body.Title?.Trim() is { Length: > 0 } t ? t : InputRules.DefaultTitle(fileName),
            FileName = fileName, ContentType = "application/octet-stream", SourceKey = key, SizeBytes = 0, MaxQuality = body.MaxQuality,
            Visibility = InputRules.ParseVisibility(body.Visibility) ?? VideoVisibility.Unlisted,
            MediaPrivate = InputRules.ParseVisibility(body.Visibility) == VideoVisibility.Private,
            CreatedAt = now, UpdatedAt = now,
            Upload = new UploadSession
            {
                Id = Guid.NewGuid(), Mode = UploadMode.Import, Key = key, Size = 0, SourceUrl = url!.AbsoluteUri,
                PartSize = Math.Max(uploads.Value.PartSizeBytes, PartPlanner.MinPartSize), PartCount = 1, State = UploadState.Active,
                // Until the worker starts it, an import waits like an untouched upload; the worker then sets its own deadline.
                ExpiresAt = now.Add(uploads.Value.SessionIdleExpiry), CreatedAt = now, UpdatedAt = now,
            },
        };
        var begun = await lifecycle.BeginImportAsync(video, imports.Value.MaxConcurrentPerAccount, ct);
        if (begun.Result == TransitionResult.Conflict) return new UploadError(UploadErrorKind.TooMany, begun.Detail!);
        if (!begun.Succeeded) return UploadError.From(begun);

        try
        {
            await queue.EnqueueImportAsync(videoId, ct);
        }
        catch (Exception e)
        {
            log.LogError(e, "Import {VideoId} could not be scheduled", videoId);
            await lifecycle.RejectUploadAsync(videoId, "The import could not be scheduled; try again.", CancellationToken.None);
            throw;
        }
        return mapper.ToDto(video);
    }

    /// <summary>The URL's last path segment when it makes a file name, else a neutral one (the title defaults to it).</summary>
    internal static string FileNameOf(Uri url)
    {
        var last = Uri.UnescapeDataString(url.AbsolutePath.TrimEnd('/').Split('/')[^1]).Trim();
        if (last.Length > 255) last = last[^255..];
        return InputRules.CheckFileName(last) is null && !InputRules.HasBidiControl(last) ? last : $"import-{url.Host}";
    }
}

using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Api.Infrastructure;
using StreamForge.Api.Videos;
using StreamForge.Core.Data;
using StreamForge.Core.Playback;
using StreamForge.Media;
using StreamForge.Core.Videos;

namespace StreamForge.Api.Captions;

/// <summary>
/// Caption tracks of a ready video, one per language. The file (WebVTT, or SRT converted to WebVTT) is small text,
/// unlike video, which never passes through the API.
/// </summary>
public sealed class CaptionService(
    StreamForgeDbContext db, CaptionPublisher publisher, MediaUrls urls, VideoMapper mapper, MediaLocks locks, IOptions<CaptionOptions> options, TimeProvider clock)
{
    /// <summary>The video's tracks by language; null when the video does not exist or is not the caller's.</summary>
    public async Task<List<CaptionTrackDto>?> ListAsync(Guid id, ClaimsPrincipal principal, CancellationToken ct)
    {
        var video = await db.Videos.AsNoTracking().VisibleTo(principal).SingleOrDefaultAsync(v => v.Id == id, ct);
        if (video is null) return null;
        var captions = await db.Captions.AsNoTracking().Where(c => c.VideoId == id).OrderBy(c => c.Lang).ToListAsync(ct);
        return captions.Select(c => CaptionTrackDto.From(c, video, urls, mapper.CurrentAccess)).ToList();
    }

    /// <summary>Adds or replaces the track of <paramref name="lang"/> from <paramref name="body"/> and republishes the indexes.</summary>
    public async Task<CaptionOutcome> PutAsync(
        Guid id, string lang, string? label, Stream body, long? contentLength, ClaimsPrincipal principal, CancellationToken ct)
    {
        var video = await db.Videos.VisibleTo(principal).SingleOrDefaultAsync(v => v.Id == id, ct);
        if (video is null) return CaptionOutcome.VideoNotFound;
        if (LanguageTag.Normalize(lang) is not { } tag)
            return CaptionOutcome.InvalidField("lang", "lang must be a BCP-47 language tag such as en, de or pt-BR.");
        label = string.IsNullOrWhiteSpace(label) ? tag : label.Trim();
        if (CheckLabel(label) is { } labelProblem) return CaptionOutcome.InvalidField("label", labelProblem);

        var max = options.Value.MaxBytes;
        var bytes = await ReadBodyAsync(body, contentLength, max, ct);
        if (bytes is null) return CaptionOutcome.TooLarge(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"A caption file may be at most {max:N0} bytes."));
        CaptionDocument document;
        try
        {
            document = CaptionConverter.Convert(bytes);
        }
        catch (CaptionFormatException e)
        {
            return CaptionOutcome.InvalidFile(e.Message);
        }

        // The media lock before the row lock (the order the move takes them): no move runs while the indexes are rewritten.
        await using var lease = await locks.EnterWriterAsync(id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await LockReadyAsync(video, ct) is { } notReady) return notReady;
        var now = clock.GetUtcNow();
        var caption = await db.Captions.SingleOrDefaultAsync(c => c.VideoId == id && c.Lang == tag, ct);
        if (caption is null)
        {
            if (await db.Captions.CountAsync(c => c.VideoId == id, ct) >= options.Value.MaxTracks)
                return CaptionOutcome.Conflict($"A video may have at most {options.Value.MaxTracks} caption tracks; remove one first.");
            caption = new Caption { VideoId = id, Lang = tag, CreatedAt = now };
            db.Captions.Add(caption);
        }
        caption.Label = label;
        caption.Vtt = document.Vtt;
        caption.CueCount = document.CueCount;
        caption.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        await publisher.PublishAsync(video, await AllAsync(id, ct), caption, null, ct);
        await tx.CommitAsync(ct);
        return CaptionOutcome.Saved(CaptionTrackDto.From(caption, video, urls, mapper.CurrentAccess));
    }

    /// <summary>Removes the track of <paramref name="lang"/> and republishes the indexes without it.</summary>
    public async Task<CaptionOutcome> DeleteAsync(Guid id, string lang, ClaimsPrincipal principal, CancellationToken ct)
    {
        var video = await db.Videos.VisibleTo(principal).SingleOrDefaultAsync(v => v.Id == id, ct);
        if (video is null) return CaptionOutcome.VideoNotFound;
        var tag = LanguageTag.Normalize(lang);
        // The media lock before the row lock (the order the move takes them): no move runs while the indexes are rewritten.
        await using var lease = await locks.EnterWriterAsync(id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await LockReadyAsync(video, ct) is { } notReady) return notReady;
        var caption = tag is null ? null : await db.Captions.SingleOrDefaultAsync(c => c.VideoId == id && c.Lang == tag, ct);
        if (caption is null) return CaptionOutcome.TrackNotFound;
        db.Captions.Remove(caption);
        await db.SaveChangesAsync(ct);
        await publisher.PublishAsync(video, await AllAsync(id, ct), null, caption.Lang, ct);
        await tx.CommitAsync(ct);
        return CaptionOutcome.Removed;
    }

    /// <summary>
    /// Locks the video row for the rest of the transaction, so caption changes of one video are applied one at a time
    /// (each rewrites the whole index set from the rows) and a reprocess cannot start half-way through one.
    /// </summary>
    private async Task<CaptionOutcome?> LockReadyAsync(Video video, CancellationToken ct)
    {
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT 1 FROM videos WHERE id = {video.Id} FOR UPDATE", ct);
        await db.Entry(video).ReloadAsync(ct);
        return video.Status == VideoStatus.Ready && video.MediaVersion >= 1
            ? null
            : CaptionOutcome.Conflict($"Captions can be changed once the video is ready; this one is {video.Status.ToWire()}.");
    }

    private Task<List<Caption>> AllAsync(Guid id, CancellationToken ct) =>
        db.Captions.Where(c => c.VideoId == id).OrderBy(c => c.Lang).ToListAsync(ct);

    /// <summary>Reads at most <paramref name="max"/> bytes; null when the body is longer (it is not read to its end).</summary>
    private static async Task<byte[]?> ReadBodyAsync(Stream body, long? contentLength, int max, CancellationToken ct)
    {
        if (contentLength > max) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > max) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static string? CheckLabel(string label)
    {
        if (label.Length > 100) return "label must be at most 100 characters.";
        if (label.Any(char.IsControl)) return "label must not contain control characters.";
        if (InputRules.HasBidiControl(label)) return "label must not contain bidirectional control characters.";
        return null;
    }
}

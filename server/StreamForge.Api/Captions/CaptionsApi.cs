using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Api.Infrastructure;
using StreamForge.Api.Videos;
using StreamForge.Core.Data;
using StreamForge.Core.Playback;
using StreamForge.Media;

namespace StreamForge.Api.Captions;

/// <param name="Url">Absolute URL of the WebVTT file; null while the video has no published media.</param>
public sealed record CaptionTrackDto(string Lang, string Label, string? Url, int CueCount, DateTimeOffset UpdatedAt);

/// <summary>
/// Caption tracks of a ready video, one per language. The file (WebVTT, or SRT converted to WebVTT) is the request
/// body: it is small text, unlike video, which never passes through the API.
/// </summary>
public static class CaptionsApi
{
    public static RouteGroupBuilder MapCaptionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/videos/{id:guid}/captions").WithTags("Captions").RequireAuthorization();
        group.MapGet("/", List).WithName("ListCaptions").WithSummary("The video's caption tracks");
        group.MapPut("/{lang}", Put).WithName("PutCaptions")
            .WithSummary("Add or replace the captions of one language (body: a WebVTT or SRT file, UTF-8)")
            .WithDescription("lang is a BCP-47 tag (en, pt-BR); label (query) is what the player's menu shows, the language tag when left out. The video must be ready.")
            // "*/*" keeps the declared types documentary: browsers label .srt files inconsistently (or not at
            // all), and the converter, not the Content-Type, decides what the bytes are.
            .Accepts<string>("text/vtt", "application/x-subrip", "text/plain", "*/*");
        group.MapDelete("/{lang}", Delete).WithName("DeleteCaptions").WithSummary("Remove the captions of one language");
        return group;
    }

    private static async Task<Results<Ok<List<CaptionTrackDto>>, ProblemHttpResult>> List(
        Guid id, ClaimsPrincipal principal, StreamForgeDbContext db, MediaUrls urls, CancellationToken ct)
    {
        var video = await db.Videos.AsNoTracking().VisibleTo(principal).SingleOrDefaultAsync(v => v.Id == id, ct);
        if (video is null) return Problems.NotFound("The video");
        var captions = await db.Captions.AsNoTracking().Where(c => c.VideoId == id).OrderBy(c => c.Lang).ToListAsync(ct);
        return TypedResults.Ok(captions.Select(c => ToDto(c, video, urls)).ToList());
    }

    private static async Task<Results<Ok<CaptionTrackDto>, ValidationProblem, ProblemHttpResult>> Put(
        Guid id, string lang, string? label, HttpRequest request, ClaimsPrincipal principal, StreamForgeDbContext db,
        CaptionPublisher publisher, MediaUrls urls, IOptions<CaptionOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var video = await db.Videos.VisibleTo(principal).SingleOrDefaultAsync(v => v.Id == id, ct);
        if (video is null) return Problems.NotFound("The video");
        if (LanguageTag.Normalize(lang) is not { } tag)
            return Problems.Validation(new() { ["lang"] = ["lang must be a BCP-47 language tag such as en, de or pt-BR."] });
        label = string.IsNullOrWhiteSpace(label) ? tag : label.Trim();
        if (CheckLabel(label) is { } labelProblem) return Problems.Validation(new() { ["label"] = [labelProblem] });

        var max = options.Value.MaxBytes;
        var body = await ReadBodyAsync(request, max, ct);
        if (body is null) return Problems.TooLarge(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"A caption file may be at most {max:N0} bytes."));
        CaptionDocument document;
        try
        {
            document = CaptionConverter.Convert(body);
        }
        catch (CaptionFormatException e)
        {
            return Problems.BadRequest(e.Message);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await LockReadyAsync(db, video, ct) is { } notReady) return notReady;
        var now = clock.GetUtcNow();
        var caption = await db.Captions.SingleOrDefaultAsync(c => c.VideoId == id && c.Lang == tag, ct);
        if (caption is null)
        {
            if (await db.Captions.CountAsync(c => c.VideoId == id, ct) >= options.Value.MaxTracks)
                return Problems.Conflict($"A video may have at most {options.Value.MaxTracks} caption tracks; remove one first.");
            caption = new Caption { VideoId = id, Lang = tag, CreatedAt = now };
            db.Captions.Add(caption);
        }
        caption.Label = label;
        caption.Vtt = document.Vtt;
        caption.CueCount = document.CueCount;
        caption.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        await publisher.PublishAsync(video, await AllAsync(db, id, ct), caption, null, ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(ToDto(caption, video, urls));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        Guid id, string lang, ClaimsPrincipal principal, StreamForgeDbContext db, CaptionPublisher publisher, CancellationToken ct)
    {
        var video = await db.Videos.VisibleTo(principal).SingleOrDefaultAsync(v => v.Id == id, ct);
        if (video is null) return Problems.NotFound("The video");
        var tag = LanguageTag.Normalize(lang);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await LockReadyAsync(db, video, ct) is { } notReady) return notReady;
        var caption = tag is null ? null : await db.Captions.SingleOrDefaultAsync(c => c.VideoId == id && c.Lang == tag, ct);
        if (caption is null) return Problems.NotFound("The caption track");
        db.Captions.Remove(caption);
        await db.SaveChangesAsync(ct);
        await publisher.PublishAsync(video, await AllAsync(db, id, ct), null, caption.Lang, ct);
        await tx.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Locks the video row for the rest of the transaction, so caption changes of one video are applied one at a time
    /// (each rewrites the whole index set from the rows) and a reprocess cannot start half-way through one.
    /// </summary>
    private static async Task<ProblemHttpResult?> LockReadyAsync(StreamForgeDbContext db, Video video, CancellationToken ct)
    {
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT 1 FROM videos WHERE id = {video.Id} FOR UPDATE", ct);
        await db.Entry(video).ReloadAsync(ct);
        return video.Status == VideoStatus.Ready && video.MediaVersion >= 1
            ? null
            : Problems.Conflict($"Captions can be changed once the video is ready; this one is {video.Status.ToWire()}.");
    }

    private static Task<List<Caption>> AllAsync(StreamForgeDbContext db, Guid id, CancellationToken ct) =>
        db.Captions.Where(c => c.VideoId == id).OrderBy(c => c.Lang).ToListAsync(ct);

    /// <summary>Reads at most <paramref name="max"/> bytes; null when the body is longer (it is not read to its end).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int max, CancellationToken ct)
    {
        if (request.ContentLength > max) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
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

    internal static CaptionTrackDto ToDto(Caption c, Video video, MediaUrls urls) => new(
        c.Lang, c.Label,
        video.MediaVersion >= 1 ? urls.For(video.Id, video.MediaVersion, CaptionPaths.VttKey(c.Lang)) : null,
        c.CueCount, c.UpdatedAt);
}

using System.Text.Json;
using StreamForge.Core.Data;
using StreamForge.Core.Storage;
using StreamForge.Media;

namespace StreamForge.Api.Captions;

/// <summary>
/// Makes a published media version show exactly the caption rows of its video: writes the changed .vtt, then rewrites
/// manifest.mpd, the HLS playlists and manifest.json of that same version with the one writer per format (read back
/// from the published files), manifest.json last. Callers hold the video's media lock (<see cref="StreamForge.Core.Videos.MediaLocks"/>). Keys of removed tracks are deleted after the indexes stop naming them.
/// </summary>
public sealed class CaptionPublisher(IStorageGateway storage)
{
    public async Task PublishAsync(Video video, IReadOnlyList<Caption> captions, Caption? written, string? removedLang, CancellationToken ct)
    {
        var version = video.MediaVersion;
        // The caller holds the media lock, so the location it loaded stays right while this writes.
        string Key(string relative) => StorageKeys.Media(video.Id, version, relative, video.MediaPrivate);

        var json = await storage.ReadTextAsync(Key(OutputLayout.ManifestJsonKey), ct);
        var mpd = await storage.ReadTextAsync(Key(OutputLayout.ManifestMpdKey), ct);
        if (json is null || mpd is null)
        {
            throw new InvalidOperationException($"The published manifests of video {video.Id} v{version} are missing.");
        }

        var manifest = PlaybackIndexes.WithCaptions(
            PlaybackIndexes.Restore(json, mpd),
            captions.Select(c => new CaptionTrack(c.Lang, c.Label, CaptionPaths.VttKey(c.Lang))));

        if (written is not null)
        {
            await PutAsync(Key(CaptionPaths.VttKey(written.Lang)), CaptionPaths.VttKey(written.Lang), written.Vtt, ct);
        }

        foreach (var (relative, text) in PlaybackIndexes.Write(manifest, FrameRate(video)))
        {
            // The rungs' and audio's media playlists do not change with captions.
            if (relative.EndsWith("/" + HlsWriter.MediaPlaylistName, StringComparison.Ordinal))
            {
                continue;
            }

            await PutAsync(Key(relative), relative, text, ct);
        }

        if (removedLang is not null)
        {
            await storage.DeleteAsync(Key(CaptionPaths.VttKey(removedLang)), ct);
            await storage.DeleteAsync(Key(CaptionPaths.PlaylistKey(removedLang)), ct);
        }
    }

    private Task PutAsync(string key, string relative, string text, CancellationToken ct) =>
        storage.UploadTextAsync(key, text, MediaContentTypes.Of(relative), CachePolicies.Of(relative).CacheControl(), ct);

    /// <summary>The rate the worker wrote into the HLS master at publish time (the source's, which the ladder keeps).</summary>
    private static double FrameRate(Video video)
    {
        return StreamForge.Core.Videos.MediaFactsJson.ReadProbe(video.ProbeJson)?.Fps ?? 0;
    }
}

using StreamForge.Media;

namespace StreamForge.Worker.Processing;

/// <summary>
/// Publishes a version while the one ffmpeg still writes it (playable while processing): every closed segment goes up
/// as soon as it is seen (immutable), then the growing indexes (thumbs.vtt, MPD, HLS, manifest.json last) with the
/// Growing cache policy, at most about once a second. Each round uploads every file of a snapshot before that
/// snapshot's manifest, so a manifest never names a file not yet uploaded. The first manifest goes up as soon as every
/// rung and the audio have a segment, and <paramref name="onFirstManifest"/> then makes the video playable.
/// ffmpeg never waits for any of this: it only reads what ffmpeg has closed.
/// </summary>
public sealed class GrowingPublisher(
    OutputPublisher publisher,
    Guid videoId,
    int version,
    bool mediaPrivate,
    Func<Manifest, CancellationToken, Task> onFirstManifest,
    TimeProvider clock,
    ILogger log)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan IndexInterval = TimeSpan.FromSeconds(1);

    private readonly HashSet<string> _uploaded = new(StringComparer.Ordinal);
    private (int Segments, int Sprites, int Audio)? _published;
    private DateTimeOffset _publishedAt;
    private bool _firstLogged;

    /// <summary>Immutable keys already in storage (the final publish skips them).</summary>
    public IReadOnlySet<string> Uploaded => _uploaded;

    /// <summary>When the first manifest went up, or null.</summary>
    public DateTimeOffset? PlayableAt { get; private set; }

    /// <summary>
    /// Rounds until <paramref name="encodingDone"/> fires, finishing the round in progress; uploads run on
    /// <paramref name="ct"/>. A round starts every <see cref="PollInterval"/>, or at once when ffmpeg replaces its MPD
    /// (inotify), which is when segments close: the first manifest does not wait up to a poll interval for its round.
    /// </summary>
    public async Task RunAsync(GrowingOutput output, CancellationToken encodingDone, CancellationToken ct)
    {
        using var changed = new SemaphoreSlim(0, 1);
        void Wake()
        {
            try { changed.Release(); }
            catch (SemaphoreFullException) { /* a round is already due */ }
            catch (ObjectDisposedException) { /* the run has ended */ }
        }

        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(output.ManifestPath)!, Path.GetFileName(output.ManifestPath))
        {
            NotifyFilter = NotifyFilters.FileName,
        };
        watcher.Renamed += (_, _) => Wake();
        watcher.Created += (_, _) => Wake();
        try
        {
            watcher.EnableRaisingEvents = true;
        }
        catch (IOException e)
        {
            // Out of inotify instances: polling alone still publishes, up to a poll interval later.
            log.LogWarning(e, "Cannot watch ffmpeg's output of {VideoId}; polling only", videoId);
        }
        while (!encodingDone.IsCancellationRequested)
        {
            var seenAt = clock.GetUtcNow();
            await PublishAsync(output, output.Read(), ct);
            if (PlayableAt is { } up && _firstLogged is false)
            {
                _firstLogged = true;
                // Where the first seconds go: ffmpeg (MPD written), this loop (seen), uploads (up).
                var since = output.GrowingSince;
                log.LogInformation("Video {VideoId} first growing manifest: ffmpeg closed the first segments {Written:0.00} s after it started, seen {Seen:0.00} s, uploaded {Up:0.00} s",
                    videoId, (new DateTimeOffset(File.GetLastWriteTimeUtc(output.ManifestPath)) - since).TotalSeconds, (seenAt - since).TotalSeconds, (up - since).TotalSeconds);
            }

            try
            {
                await changed.WaitAsync(PollInterval, encodingDone);
            }
            catch (OperationCanceledException) when (encodingDone.IsCancellationRequested)
            {
                break;
            }
        }
    }

    /// <summary>One round: the snapshot's new files, then its indexes when the manifest grew and is due.</summary>
    public async Task PublishAsync(GrowingOutput output, GrowingSnapshot snapshot, CancellationToken ct)
    {
        var fresh = snapshot.Files.Where(f => !_uploaded.Contains(f.Key)).ToList();
        if (fresh.Count > 0)
        {
            // In parallel: the first round holds every track's init and first segment, which the first manifest waits for.
            await Parallel.ForEachAsync(fresh, new ParallelOptions { MaxDegreeOfParallelism = publisher.UploadConcurrency, CancellationToken = ct }, async (file, token) =>
                await publisher.UploadFileAsync(videoId, version, mediaPrivate, file.Key, file.LocalPath, file.ContentType, CachePolicies.ImmutableHeader, token));
            foreach (var file in fresh)
            {
                _uploaded.Add(file.Key);
            }
        }

        if (snapshot.Manifest is not { } manifest)
        {
            return;
        }

        var state = (manifest.SegmentCount ?? 0, manifest.Thumbnails.Sprites.Count, manifest.AllAudioTracks.Sum(a => a.Segments.Count));
        var first = _published is null;
        if (_published == state || (!first && clock.GetUtcNow() - _publishedAt < IndexInterval))
        {
            return;
        }

        // Three steps rather than ten round trips one after another (the first manifest waits for them): what names
        // only segments (vtt, MPD, media playlists) at once, then the master playlist that names those playlists, then
        // manifest.json, which is what makes players (and MarkPlayable) see the new state.
        var indexes = output.Indexes(manifest, clock.GetUtcNow());
        var last = new[] { HlsWriter.MasterKey, OutputLayout.ManifestJsonKey };
        await Task.WhenAll(indexes.Where(i => !last.Contains(i.Key)).Select(i => publisher.UploadTextAsync(videoId, version, mediaPrivate, i.Key, i.Value, CachePolicies.GrowingHeader, ct)));
        foreach (var key in last)
        {
            await publisher.UploadTextAsync(videoId, version, mediaPrivate, key, indexes.Single(i => i.Key == key).Value, CachePolicies.GrowingHeader, ct);
        }

        _published = state;
        _publishedAt = clock.GetUtcNow();
        log.LogDebug("Video {VideoId} v{Version}: growing manifest with {Segments} segments, {Duration:0.0} s", videoId, version, manifest.SegmentCount, manifest.Duration);
        if (first)
        {
            PlayableAt = _publishedAt;
            await onFirstManifest(manifest, ct);
        }
    }
}

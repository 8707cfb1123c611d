namespace StreamForge.Media;

/// <summary>
/// Reads the one ffmpeg's DASH and thumbnail folders while it runs (playable while processing). ffmpeg 5.1's dash
/// muxer writes each segment as <c>name.tmp</c>, renames it when closed, and then rewrites its (dynamic) manifest.mpd,
/// itself through a .tmp and a rename; init segments are created empty and filled at the first flush. So a segment
/// is closed when the MPD lists it and its final name exists; an init is complete once its track has a closed
/// segment. The image muxer writes sprite sheets in place, so sheet n is complete once sheet n + 1 exists.
/// Keys are those <see cref="OutputLayout.Arrange"/> gives the same files at the end: the k-th segment of a track
/// (from the MPD's first) is segment k + 1 whatever ffmpeg numbered it, so a key uploaded early never changes content.
/// </summary>
public sealed class GrowingOutput(
    string videoId,
    OutputLayout layout,
    LadderCommand ladder,
    IReadOnlyList<Rung> rungs,
    MediaToolsOptions options,
    double expectedDuration,
    double frameRate,
    DateTimeOffset growingSince)
{
    public double FrameRate => frameRate;

    /// <summary>When ffmpeg started (the dynamic MPD's availabilityStartTime).</summary>
    public DateTimeOffset GrowingSince => growingSince;

    /// <summary>ffmpeg's MPD, which it replaces (rename) after every segment it closes: a watcher can wake on it.</summary>
    public string ManifestPath => ladder.ManifestPath;

    /// <summary>Reads the folders now (the MPD first: a segment it lists is already renamed) and interprets them.</summary>
    public GrowingSnapshot Read()
    {
        string? mpd;
        try
        {
            mpd = File.ReadAllText(ladder.ManifestPath);
        }
        catch (FileNotFoundException)
        {
            mpd = null;
        }

        return Interpret(mpd, Names(layout.DashDirectory), Names(layout.ThumbsDirectory));
    }

    /// <summary>
    /// The closed files and the growing manifest for an MPD text (null: not written yet) and the file names present in
    /// the dash and thumbs folders. Pure.
    /// </summary>
    public GrowingSnapshot Interpret(string? mpdXml, IEnumerable<string> dashFileNames, IEnumerable<string> thumbFileNames)
    {
        var dashFiles = dashFileNames.ToHashSet(StringComparer.Ordinal);
        var thumbFiles = thumbFileNames.ToHashSet(StringComparer.Ordinal);
        var files = new List<GrowingFile>();
        Manifest? manifest = null;
        var sprites = CompleteSprites(thumbFiles);
        if (mpdXml is not null)
        {
            var mpd = DashMpdReader.Parse(mpdXml);
            var closed = new Dictionary<string, DashRepresentation?>();
            for (var i = 0; i < rungs.Count; i++)
            {
                var rung = rungs[i];
                closed[ladder.VideoRepresentationIds[i]] = Closed(mpd, ladder.VideoRepresentationIds[i], dashFiles,
                    OutputLayout.VideoInitKey(rung.Id), n => OutputLayout.VideoSegmentKey(rung.Id, n), files);
            }

            foreach (var track in ladder.AudioTracks)
            {
                closed[track.RepresentationId] = Closed(mpd, track.RepresentationId, dashFiles,
                    OutputLayout.AudioTrackInitKey(track.Number), n => OutputLayout.AudioSegmentKey(track.Number, n), files);
            }

            if (closed.Values.All(r => r is not null))
            {
                manifest = BuildManifest(mpd, closed, sprites);
            }
        }

        for (var n = 1; n <= sprites; n++)
        {
            files.Add(new GrowingFile(Path.Combine(layout.ThumbsDirectory, OutputLayout.SpriteFileName(n)), OutputLayout.SpriteKey(n)));
        }

        return new GrowingSnapshot(files, manifest);
    }

    /// <summary>thumbs.vtt (cues of the published sheets only), then the MPD, the HLS playlists and manifest.json last.</summary>
    /// <param name="publishTime">Now: the dynamic MPD's publishTime.</param>
    public IReadOnlyList<KeyValuePair<string, string>> Indexes(Manifest manifest, DateTimeOffset publishTime)
    {
        var tiles = ThumbnailVtt.TileCount(manifest.Duration, options.ThumbnailIntervalSeconds);
        var list = new List<KeyValuePair<string, string>> { new(OutputLayout.ThumbsVttKey, ThumbnailVtt.Build(manifest.Thumbnails, tiles, manifest.Duration)) };
        list.AddRange(PlaybackIndexes.Write(manifest, frameRate, publishTime));
        return list;
    }

    /// <summary>
    /// Every video rung lists the same number of segments (the fewest any has closed), each audio track those that start
    /// before the video ends; the duration is where the shortest track ends.
    /// </summary>
    private Manifest BuildManifest(DashMpd mpd, Dictionary<string, DashRepresentation?> closed, int sprites)
    {
        var count = ladder.VideoRepresentationIds.Min(id => closed[id]!.Segments.Count);
        var listed = new List<DashRepresentation>();
        foreach (var id in ladder.VideoRepresentationIds)
        {
            listed.Add(closed[id]! with { Segments = closed[id]!.Segments.Take(count).ToList() });
        }

        var videoEnd = listed.Min(r => r.End);
        var end = videoEnd;
        foreach (var track in ladder.AudioTracks)
        {
            var audio = closed[track.RepresentationId]!;
            var segments = audio.Segments.Where((s, i) => i == 0 || s.Start < videoEnd - 1e-6).ToList();
            listed.Add(audio with { Segments = segments });
            end = Math.Min(end, segments[^1].Start + segments[^1].Duration);
        }

        var manifest = ManifestBuilder.Build(videoId, mpd with { Representations = listed }, ladder, rungs, ManifestBuilder.Thumbnails(options, sprites));
        return manifest with
        {
            Complete = false,
            Duration = Math.Round(end, 3),
            ExpectedDuration = Math.Round(expectedDuration, 3),
            SegmentCount = count,
            GrowingSince = growingSince,
        };
    }

    /// <summary>
    /// The representation cut to its closed segments (a prefix of the timeline), or null while it has none; adds their
    /// files (init first) to <paramref name="files"/>.
    /// </summary>
    private DashRepresentation? Closed(DashMpd mpd, string id, IReadOnlySet<string> dashFiles, string initKey, Func<int, string> segmentKey, List<GrowingFile> files)
    {
        if (mpd.Representations.FirstOrDefault(r => r.Id == id) is not { Media: { } media, Initialization: { } initialization } rep)
        {
            return null;
        }

        var count = 0;
        while (count < rep.Segments.Count && dashFiles.Contains(OutputLayout.ExpandTemplate(media, id, rep.Segments[count].Number)))
        {
            count++;
        }

        var init = OutputLayout.ExpandTemplate(initialization, id, 0);
        if (count == 0 || !dashFiles.Contains(init))
        {
            return null;
        }

        files.Add(new GrowingFile(Path.Combine(layout.DashDirectory, init), initKey));
        for (var k = 0; k < count; k++)
        {
            files.Add(new GrowingFile(Path.Combine(layout.DashDirectory, OutputLayout.ExpandTemplate(media, id, rep.Segments[k].Number)), segmentKey(k + 1)));
        }

        return rep with { Segments = rep.Segments.Take(count).ToList() };
    }

    private static int CompleteSprites(IReadOnlySet<string> thumbFiles)
    {
        var n = 0;
        while (thumbFiles.Contains(OutputLayout.SpriteFileName(n + 2)))
        {
            n++;
        }

        return n;
    }

    private static List<string> Names(string dir) =>
        Directory.Exists(dir) ? Directory.EnumerateFiles(dir).Select(Path.GetFileName).OfType<string>().ToList() : [];
}

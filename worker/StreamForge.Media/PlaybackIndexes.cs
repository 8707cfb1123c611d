namespace StreamForge.Media;

/// <summary>
/// The index files of one media version (manifest.mpd, the HLS playlists, manifest.json), all written from one
/// <see cref="Manifest"/> by the one writer per format. The worker writes them at publish time; the API rewrites them
/// in place when the captions of a published version change, after <see cref="Restore"/> has read the model back.
/// </summary>
public static class PlaybackIndexes
{
    /// <summary>Key → text in a safe upload order: playlists and the MPD first, manifest.json (what players read first) last.</summary>
    /// <param name="publishTime">When a growing manifest's indexes are published (its dynamic MPD names it).</param>
    public static IReadOnlyList<KeyValuePair<string, string>> Write(Manifest manifest, double frameRate, DateTimeOffset? publishTime = null)
    {
        var files = new List<KeyValuePair<string, string>>
        {
            new(OutputLayout.ManifestMpdKey, MpdWriter.Write(manifest, publishTime)),
        };
        var hls = HlsWriter.Write(manifest, frameRate);
        files.AddRange(hls.Where(f => f.Key != HlsWriter.MasterKey).OrderBy(f => f.Key, StringComparer.Ordinal));
        files.Add(new(HlsWriter.MasterKey, hls[HlsWriter.MasterKey]));
        files.Add(new(OutputLayout.ManifestJsonKey, ManifestJson.Serialize(manifest)));
        return files;
    }

    /// <summary>The manifest with exactly these caption tracks (sorted by language; none = no captions entry).</summary>
    public static Manifest WithCaptions(Manifest manifest, IEnumerable<CaptionTrack> captions)
    {
        var list = captions.OrderBy(c => c.Lang, StringComparer.Ordinal).ToList();
        return manifest with { Captions = list.Count == 0 ? null : list };
    }

    /// <summary>
    /// Reads a published manifest.json back into the full model. The segment ticks and timescales the MPD needs are
    /// not in the JSON (players work in seconds), so they come from the published manifest.mpd of the same version.
    /// </summary>
    /// <exception cref="FormatException">The two files do not describe the same renditions.</exception>
    public static Manifest Restore(string manifestJson, string mpdXml)
    {
        var manifest = ManifestJson.Deserialize(manifestJson);
        var mpd = DashMpdReader.Parse(mpdXml);
        var video = manifest.Video.Select(v =>
        {
            var rep = Find(mpd, v.Id);
            return v with { Segments = WithTicks(v.Segments, rep), Timescale = rep.Timescale };
        }).ToList();

        var audio = manifest.Audio is null ? null : WithTicks(manifest.Audio, Find(mpd, AudioTrackPlan.IdOf(1)));
        var tracks = manifest.AudioTracks?.Select(a => WithTicks(a, Find(mpd, a.Id ?? throw new FormatException("an audio track without id")))).ToList();
        return manifest with { Video = video, Audio = audio, AudioTracks = tracks };
    }

    private static AudioRendition WithTicks(AudioRendition audio, DashRepresentation rep) => audio with
    {
        Segments = WithTicks(audio.Segments, rep),
        Timescale = rep.Timescale,
        SamplingRate = rep.AudioSamplingRate ?? 48000,
        Channels = rep.AudioChannels ?? 2,
    };

    private static DashRepresentation Find(DashMpd mpd, string id) =>
        mpd.Representations.FirstOrDefault(r => r.Id == id) ?? throw new FormatException($"manifest.mpd has no representation '{id}'");

    private static List<ManifestSegment> WithTicks(IReadOnlyList<ManifestSegment> segments, DashRepresentation rep)
    {
        if (rep.Segments.Count != segments.Count)
        {
            throw new FormatException($"manifest.mpd lists {rep.Segments.Count} segments of '{rep.Id}', manifest.json {segments.Count}");
        }

        return segments.Select((s, i) => s with { StartTicks = rep.Segments[i].StartTicks, DurationTicks = rep.Segments[i].DurationTicks }).ToList();
    }
}

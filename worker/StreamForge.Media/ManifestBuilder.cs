namespace StreamForge.Media;

/// <summary>
/// Builds the playback manifest from ffmpeg's MPD (exact codec strings and segment timing), the planned rungs and the
/// thumbnails, with the final relative paths of <see cref="OutputLayout"/>.
/// </summary>
public static class ManifestBuilder
{
    public const int Version = 1;

    /// <param name="ladder">Maps rung i to its DASH representation id.</param>
    /// <param name="thumbnails">The sprite sheets (see <see cref="Thumbnails"/>).</param>
    public static Manifest Build(string videoId, DashMpd mpd, LadderCommand ladder, IReadOnlyList<Rung> rungs, ThumbnailSet thumbnails)
    {
        var video = rungs
            .Select((rung, i) => BuildVideo(rung, mpd[ladder.VideoRepresentationIds[i]]))
            .OrderBy(v => (long)v.Width * v.Height)
            .ThenBy(v => v.Bandwidth)
            .ToList();

        var tracks = ladder.AudioTracks.Select(t => BuildAudio(mpd[t.RepresentationId], t)).ToList();

        var ends = video.Select(v => End(v.Segments)).Concat(tracks.Select(t => End(t.Segments))).Append(0);
        return new Manifest(
            Version: Version,
            VideoId: videoId,
            Duration: Math.Round(ends.Max(), 3),
            Video: video,
            Audio: null,
            Thumbnails: thumbnails,
            Mpd: OutputLayout.ManifestMpdKey,
            Poster: OutputLayout.PosterKey,
            Hls: HlsWriter.MasterKey).WithAudioTracks(tracks);
    }

    /// <summary>The thumbnails entry for <paramref name="spriteCount"/> sprite sheets.</summary>
    public static ThumbnailSet Thumbnails(MediaToolsOptions options, int spriteCount) => new(
        Vtt: OutputLayout.ThumbsVttKey,
        Interval: options.ThumbnailIntervalSeconds,
        TileWidth: options.ThumbnailWidth,
        TileHeight: options.ThumbnailHeight,
        Sprites: Enumerable.Range(1, spriteCount)
            .Select(n => new SpriteSheet(OutputLayout.SpriteKey(n), options.SpriteColumns, options.SpriteRows))
            .ToList());

    private static VideoRendition BuildVideo(Rung rung, DashRepresentation rep)
    {
        RequireSegments(rep, rung.Id);
        return new VideoRendition(
            Id: rung.Id,
            Width: rep.Width ?? rung.Width,
            Height: rep.Height ?? rung.Height,
            Bandwidth: rep.Bandwidth > 0 ? rep.Bandwidth : rung.VideoBitrate,
            Codecs: rep.Codecs,
            MimeType: string.IsNullOrEmpty(rep.MimeType) ? "video/mp4" : rep.MimeType,
            Init: OutputLayout.VideoInitKey(rung.Id),
            Segments: Segments(rep, n => OutputLayout.VideoSegmentKey(rung.Id, n)))
        {
            Timescale = rep.Timescale,
        };
    }

    private static AudioRendition BuildAudio(DashRepresentation rep, AudioTrackPlan track)
    {
        RequireSegments(rep, track.Number == 1 ? "audio" : $"audio track {track.Number}");
        return new AudioRendition(
            Codecs: rep.Codecs,
            MimeType: string.IsNullOrEmpty(rep.MimeType) ? "audio/mp4" : rep.MimeType,
            Bandwidth: rep.Bandwidth,
            Init: OutputLayout.AudioTrackInitKey(track.Number),
            Segments: Segments(rep, n => OutputLayout.AudioSegmentKey(track.Number, n)))
        {
            Id = track.Id,
            Lang = track.Lang,
            Label = track.Label,
            Default = track.Number == 1,
            Timescale = rep.Timescale,
            SamplingRate = rep.AudioSamplingRate ?? 48000,
            Channels = rep.AudioChannels ?? 2,
        };
    }

    /// <summary>Segments renumbered from 1 in the final layout, whatever startNumber ffmpeg used.</summary>
    private static List<ManifestSegment> Segments(DashRepresentation rep, Func<int, string> url) =>
        rep.Segments
            .Select((s, i) => new ManifestSegment(url(i + 1), Math.Round(s.Start, 6), Math.Round(s.Duration, 6))
            {
                StartTicks = s.StartTicks,
                DurationTicks = s.DurationTicks,
            })
            .ToList();

    private static void RequireSegments(DashRepresentation rep, string name)
    {
        if (rep.Segments.Count == 0)
        {
            throw MediaException.Permanent($"the {name} rendition has no segments (the source decoded to nothing)");
        }

        if (string.IsNullOrEmpty(rep.Codecs))
        {
            throw MediaException.Transient($"the {name} rendition has no codec string in ffmpeg's MPD");
        }
    }

    private static double End(IReadOnlyList<ManifestSegment> segments) =>
        segments.Count == 0 ? 0 : segments[^1].Start + segments[^1].Duration;
}

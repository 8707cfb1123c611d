using System.Globalization;
using System.Text;

namespace StreamForge.Media;

/// <summary>
/// HLS playlists over the very segments the DASH manifests list (fMP4: an <c>EXT-X-MAP</c> on each rung's init.mp4,
/// then its .m4s files), so Apple devices, which have no MSE for DASH on iPhone, play without a second copy of any
/// segment. A master playlist with one variant per rung, an audio rendition group when there is audio (one
/// <c>EXT-X-MEDIA</c> per audio track with its language and label, DEFAULT on the first) and a subtitles group when there
/// are captions, and one media playlist per rung, per audio track and per caption track, each beside
/// the files it lists. A complete manifest gives VOD playlists that end with <c>#EXT-X-ENDLIST</c>; a growing one (still
/// being encoded) gives EVENT playlists of the segments published so far, which players reload until the final VOD
/// playlists replace them. The master playlist is the same in both.
/// </summary>
public static class HlsWriter
{
    public const string MasterKey = "master.m3u8";
    public const string MediaPlaylistName = "index.m3u8";
    public const string ContentType = "application/vnd.apple.mpegurl";
    private const string AudioGroup = "audio";
    private const string SubtitlesGroup = "subs";

    /// <summary>Path (relative to manifest.json) → playlist text, for the master and every media playlist.</summary>
    /// <param name="frameRate">The rungs' frame rate (the source's: the ladder does not change it).</param>
    public static IReadOnlyDictionary<string, string> Write(Manifest manifest, double frameRate)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var master = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        var audioTracks = manifest.AllAudioTracks;
        var audioNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var audio in audioTracks)
        {
            var audioPlaylist = PlaylistKey(audio.Init);
            var lang = audio.Lang ?? "und";
            files[audioPlaylist] = MediaPlaylist(audio.Init, AudioSegments(audio, manifest.Complete), manifest.Complete);
            var name = UniqueName(audioNames, audio.Label ?? "Track 1", lang);
            var isDefault = audio.Default == true ? "YES" : "NO";
            master.Append(Invariant($"#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"{AudioGroup}\",NAME=\"{name}\",LANGUAGE=\"{lang}\",DEFAULT={isDefault},AUTOSELECT=YES,CHANNELS=\"{audio.Channels}\",URI=\"{audioPlaylist}\"\n"));
        }

        var captions = manifest.Captions ?? [];
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var caption in captions)
        {
            var playlist = CaptionPaths.PlaylistKey(caption.Lang);
            files[playlist] = SubtitlesPlaylist(caption, CaptionSpan(manifest));
            var name = UniqueName(names, caption.Label, caption.Lang);

            master.Append($"#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"{SubtitlesGroup}\",NAME=\"{name}\",LANGUAGE=\"{caption.Lang}\",DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,URI=\"{playlist}\"\n");
        }

        foreach (var video in manifest.Video)
        {
            var playlist = PlaylistKey(video.Init);
            files[playlist] = MediaPlaylist(video.Init, video.Segments, manifest.Complete);
            // The variant's peak is the video plus its largest audio track; every track is AAC of one codec string.
            var codecs = audioTracks.Count == 0 ? video.Codecs : $"{video.Codecs},{audioTracks[0].Codecs}";
            var bandwidth = video.Bandwidth + audioTracks.Select(a => a.Bandwidth).DefaultIfEmpty(0).Max();
            master.Append(Invariant($"#EXT-X-STREAM-INF:BANDWIDTH={bandwidth},RESOLUTION={video.Width}x{video.Height},CODECS=\"{codecs}\""));
            if (frameRate > 0)
            {
                master.Append(Invariant($",FRAME-RATE={frameRate:0.000}"));
            }

            if (audioTracks.Count > 0)
            {
                master.Append($",AUDIO=\"{AudioGroup}\"");
            }

            if (captions.Count > 0)
            {
                master.Append($",SUBTITLES=\"{SubtitlesGroup}\"");
            }

            master.Append('\n').Append(playlist).Append('\n');
        }

        files[MasterKey] = master.ToString();
        return files;
    }

    /// <summary>
    /// A rendition's NAME: a quoted string (no quotes or line breaks) that must be unique in its group, so a repeated
    /// label gets its language added.
    /// </summary>
    private static string UniqueName(HashSet<string> taken, string label, string lang)
    {
        var name = label.Replace('"', '\'').Replace('\n', ' ').Replace('\r', ' ');
        if (!taken.Add(name))
        {
            name = $"{name} ({lang})";
            for (var n = 2; !taken.Add(name); n++)
            {
                name = $"{label} ({lang}, {n})".Replace('"', '\'').Replace('\n', ' ').Replace('\r', ' ');
            }
        }

        return name;
    }

    /// <summary>
    /// The audio segments HLS lists. AAC starts with 1024 samples of encoder priming, which the audio init segment hides
    /// with an edit list (CMAF's way, and what MSE and Safari apply). hls.js ignores edit lists: it places every audio
    /// segment 1024 samples (21 ms at 48 kHz) later than the browser buffers it. A final audio segment shorter than that
    /// shift (ffmpeg cuts one whenever the audio ends just past a segment boundary) then lies wholly past the buffered
    /// audio in hls.js's eyes; it marks the segment a gap, never ends the audio stream, and playback stalls before the
    /// end. Leaving that sliver (under <see cref="NegligibleAudioTail"/> of sound) out of the HLS playlist lets hls.js
    /// end; the DASH indexes keep it.
    /// </summary>
    private static IReadOnlyList<ManifestSegment> AudioSegments(AudioRendition audio, bool complete) =>
        complete && audio.Segments.Count > 1 && audio.Segments[^1].Duration < NegligibleAudioTail
            ? audio.Segments.Take(audio.Segments.Count - 1).ToList()
            : audio.Segments;

    /// <summary>Two AAC frames at 48 kHz: the 21 ms priming shift plus the 4 ms hls.js needs to see a segment as buffered.</summary>
    public const double NegligibleAudioTail = 2048 / 48000.0;

    /// <summary>"video/720p/init.mp4" → "video/720p/index.m3u8": each media playlist sits beside its segments.</summary>
    public static string PlaylistKey(string initKey)
    {
        var slash = initKey.LastIndexOf('/');
        return slash < 0 ? MediaPlaylistName : initKey[..(slash + 1)] + MediaPlaylistName;
    }

    /// <param name="complete">
    /// False while the version grows: EVENT (segments are only ever appended, so a player may start at the first one
    /// and keep everything it has) and no ENDLIST, so players reload the playlist instead of ending.
    /// </param>
    private static string MediaPlaylist(string initKey, IReadOnlyList<ManifestSegment> segments, bool complete)
    {
        // EXT-X-TARGETDURATION must be at least every EXTINF rounded to the nearest integer.
        var target = segments.Count == 0 ? 1 : (int)Math.Max(1, segments.Max(s => Math.Round(s.Duration, MidpointRounding.AwayFromZero)));
        var text = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n");
        text.Append(Invariant($"#EXT-X-TARGETDURATION:{target}\n"));
        text.Append("#EXT-X-MEDIA-SEQUENCE:1\n#EXT-X-PLAYLIST-TYPE:").Append(complete ? "VOD" : "EVENT").Append('\n');
        text.Append("#EXT-X-INDEPENDENT-SEGMENTS\n");
        if (!complete)
        {
            // Players start a playlist without ENDLIST near its live edge; this asks them (Safari has no other way
            // to be told) to start at the beginning, where a viewer of a just-uploaded video expects to be.
            text.Append("#EXT-X-START:TIME-OFFSET=0\n");
        }

        text.Append($"#EXT-X-MAP:URI=\"{FileName(initKey)}\"\n");
        foreach (var segment in segments)
        {
            text.Append(Invariant($"#EXTINF:{segment.Duration:0.######},\n")).Append(FileName(segment.Url)).Append('\n');
        }

        return complete ? text.Append("#EXT-X-ENDLIST\n").ToString() : text.ToString();
    }

    /// <summary>
    /// The time a caption file covers. The .vtt is whole from the start, so its playlist stays VOD even while the
    /// video grows; it then spans the expected length rather than the part encoded so far, or later cues would lie
    /// past its one segment.
    /// </summary>
    private static double CaptionSpan(Manifest manifest) =>
        manifest.Complete ? manifest.Duration : Math.Max(manifest.Duration, manifest.ExpectedDuration ?? 0);

    /// <summary>The whole side-loaded .vtt as the one segment of a VOD playlist as long as the video.</summary>
    private static string SubtitlesPlaylist(CaptionTrack caption, double duration)
    {
        var target = (int)Math.Max(1, Math.Ceiling(duration));
        var text = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n");
        text.Append(Invariant($"#EXT-X-TARGETDURATION:{target}\n"));
        text.Append("#EXT-X-MEDIA-SEQUENCE:1\n#EXT-X-PLAYLIST-TYPE:VOD\n");
        text.Append(Invariant($"#EXTINF:{duration:0.######},\n")).Append(FileName(caption.Url)).Append('\n');
        return text.Append("#EXT-X-ENDLIST\n").ToString();
    }

    private static string FileName(string key) => key[(key.LastIndexOf('/') + 1)..];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace StreamForge.Media;

/// <summary>
/// Where things live: ffmpeg's flat working files under <c>{workDir}/dash</c> and <c>{workDir}/thumbs</c>, and the
/// final layout of the playback contract (docs/architecture.md) under <c>{workDir}/out</c>, which is uploaded as is.
/// </summary>
public sealed partial class OutputLayout
{
    public const string ManifestJsonKey = "manifest.json";
    public const string ManifestMpdKey = "manifest.mpd";
    public const string PosterKey = "poster.jpg";
    public const string ThumbsVttKey = "thumbs/thumbs.vtt";
    public const string AudioInitKey = "audio/init.mp4";

    public OutputLayout(string workDir)
    {
        WorkDir = Path.GetFullPath(workDir);
        DashDirectory = Path.Combine(WorkDir, "dash");
        ThumbsDirectory = Path.Combine(WorkDir, "thumbs");
        PosterPath = Path.Combine(WorkDir, "poster.jpg");
        OutputRoot = Path.Combine(WorkDir, "out");
    }

    public string WorkDir { get; }
    public string DashDirectory { get; }
    public string ThumbsDirectory { get; }
    public string PosterPath { get; }
    public string OutputRoot { get; }

    public static string VideoInitKey(string rungId) => $"video/{rungId}/init.mp4";

    public static string VideoSegmentKey(string rungId, int number) =>
        string.Create(CultureInfo.InvariantCulture, $"video/{rungId}/seg_{number:00000}.m4s");

    public static string AudioSegmentKey(int number) =>
        string.Create(CultureInfo.InvariantCulture, $"audio/seg_{number:00000}.m4s");

    /// <summary>
    /// The folder of audio track <paramref name="track"/> (1-based): the first keeps "audio", where a version's one
    /// track always was; the others sit beside it in "audio/2", "audio/3", so every audio key starts with "audio/".
    /// </summary>
    public static string AudioFolder(int track) =>
        track == 1 ? "audio" : string.Create(CultureInfo.InvariantCulture, $"audio/{track}");

    public static string AudioTrackInitKey(int track) => AudioFolder(track) + "/init.mp4";

    public static string AudioSegmentKey(int track, int number) =>
        string.Create(CultureInfo.InvariantCulture, $"{AudioFolder(track)}/seg_{number:00000}.m4s");

    /// <summary>Sprite file name, relative to the thumbs folder (as the VTT references it).</summary>
    public static string SpriteFileName(int number) =>
        string.Create(CultureInfo.InvariantCulture, $"sprite_{number:000}.jpg");

    public static string SpriteKey(int number) => "thumbs/" + SpriteFileName(number);

    /// <summary>A rung remuxed into one MP4 on request (not part of the processing output).</summary>
    public static string DownloadKey(string rungId) => $"downloads/{rungId}.mp4";

    /// <summary>Creates empty working folders (a rerun in the same work dir starts clean).</summary>
    public void Prepare()
    {
        foreach (var dir in new[] { DashDirectory, ThumbsDirectory, OutputRoot })
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }

            Directory.CreateDirectory(dir);
        }
    }

    /// <summary>Sprite sheets ffmpeg wrote, in order.</summary>
    public int CountSprites()
    {
        var count = 0;
        while (File.Exists(Path.Combine(ThumbsDirectory, SpriteFileName(count + 1))))
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// Moves ffmpeg's files (init-0.m4s, seg-0-00001.m4s, sprite_001.jpg, poster.jpg) to the keys the manifest uses.
    /// Rung i of <paramref name="rungs"/> is DASH representation <see cref="LadderCommand.VideoRepresentationIds"/>[i].
    /// </summary>
    public void Arrange(Manifest manifest, DashMpd mpd, LadderCommand ladder, IReadOnlyList<Rung> rungs)
    {
        for (var i = 0; i < rungs.Count; i++)
        {
            var video = manifest.Video.Single(v => v.Id == rungs[i].Id);
            MoveTrack(mpd[ladder.VideoRepresentationIds[i]], video.Init, video.Segments);
        }

        var audioTracks = manifest.AllAudioTracks;
        for (var k = 0; k < ladder.AudioTracks.Count; k++)
        {
            MoveTrack(mpd[ladder.AudioTracks[k].RepresentationId], audioTracks[k].Init, audioTracks[k].Segments);
        }

        for (var n = 1; n <= manifest.Thumbnails.Sprites.Count; n++)
        {
            Move(Path.Combine(ThumbsDirectory, SpriteFileName(n)), SpriteKey(n));
        }

        Move(PosterPath, manifest.Poster);
    }

    public void WriteText(string key, string content) =>
        File.WriteAllText(LocalPathOf(key), content, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

    /// <summary>
    /// Every file under the output root, in a safe upload order: immutable media first, then the short-lived
    /// indexes, manifest.json last (a manifest never points at files not yet uploaded).
    /// </summary>
    public IReadOnlyList<OutputFile> ListOutputs() =>
        Directory.EnumerateFiles(OutputRoot, "*", SearchOption.AllDirectories)
            .Select(path =>
            {
                var key = Path.GetRelativePath(OutputRoot, path).Replace(Path.DirectorySeparatorChar, '/');
                return new OutputFile(key, path, MediaContentTypes.Of(key), CachePolicies.Of(key), new FileInfo(path).Length);
            })
            .OrderBy(f => f.CachePolicy)
            .ThenBy(f => f.Key == ManifestJsonKey)
            .ThenBy(f => f.Key, StringComparer.Ordinal)
            .ToList();

    /// <summary>Expands a DASH template ($RepresentationID$, $Number$, $Number%05d$, $$) into a file name.</summary>
    internal static string ExpandTemplate(string template, string representationId, long number) =>
        TemplateToken().Replace(template, m => m.Groups["name"].Value switch
        {
            "" => "$",
            "RepresentationID" => representationId,
            "Number" => m.Groups["width"].Success
                ? number.ToString(CultureInfo.InvariantCulture).PadLeft(int.Parse(m.Groups["width"].Value, CultureInfo.InvariantCulture), '0')
                : number.ToString(CultureInfo.InvariantCulture),
            var other => throw new FormatException($"unsupported DASH template identifier ${other}$"),
        });

    [GeneratedRegex(@"\$(?<name>[A-Za-z]*)(?:%0(?<width>\d+)d)?\$")]
    private static partial Regex TemplateToken();

    private void MoveTrack(DashRepresentation rep, string initKey, IReadOnlyList<ManifestSegment> segments)
    {
        Move(Path.Combine(DashDirectory, ExpandTemplate(rep.Initialization ?? throw new FormatException("no initialization template"), rep.Id, 0)), initKey);
        for (var k = 0; k < segments.Count; k++)
        {
            var media = rep.Media ?? throw new FormatException("no media template");
            Move(Path.Combine(DashDirectory, ExpandTemplate(media, rep.Id, rep.Segments[k].Number)), segments[k].Url);
        }
    }

    private void Move(string source, string key)
    {
        if (!File.Exists(source))
        {
            throw MediaException.Transient($"expected output file is missing: {Path.GetRelativePath(WorkDir, source)}");
        }

        File.Move(source, LocalPathOf(key), overwrite: true);
    }

    private string LocalPathOf(string key)
    {
        var path = Path.Combine(OutputRoot, key.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }
}

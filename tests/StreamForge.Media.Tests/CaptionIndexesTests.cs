using System.Xml.Linq;
using StreamForge.Media.Tests.Support;

namespace StreamForge.Media.Tests;

/// <summary>Caption tracks in the three indexes, and the round trip the API relies on to rewrite them.</summary>
public sealed class CaptionIndexesTests
{
    private static readonly XNamespace Dash = "urn:mpeg:dash:schema:mpd:2011";

    private static Manifest Build(params CaptionTrack[] captions)
    {
        var (ladder, rungs) = TestData.Ladder1080(true);
        var manifest = ManifestBuilder.Build("vid-1", TestData.Ffmpeg1080Mpd(), ladder, rungs, ManifestBuilder.Thumbnails(new MediaToolsOptions(), 1));
        return PlaybackIndexes.WithCaptions(manifest, captions);
    }

    private static readonly CaptionTrack English = new("en", "English", CaptionPaths.VttKey("en"));
    private static readonly CaptionTrack German = new("de", "Deutsch \"DE\"", CaptionPaths.VttKey("de"));

    [Fact]
    public void Manifest_json_lists_captions_only_when_there_are_some()
    {
        Assert.DoesNotContain("captions", ManifestJson.Serialize(Build()));
        var json = System.Text.Json.JsonDocument.Parse(ManifestJson.Serialize(Build(English, German))).RootElement;
        var tracks = json.GetProperty("captions").EnumerateArray().Select(t => (t.GetProperty("lang").GetString(), t.GetProperty("label").GetString(), t.GetProperty("url").GetString())).ToList();
        Assert.Equal([("de", "Deutsch \"DE\"", "captions/de.vtt"), ("en", "English", "captions/en.vtt")], tracks);
    }

    [Fact]
    public void Mpd_has_a_text_adaptation_set_per_language_with_the_side_loaded_file()
    {
        var mpd = XDocument.Parse(MpdWriter.Write(Build(English, German)));
        var sets = mpd.Root!.Element(Dash + "Period")!.Elements(Dash + "AdaptationSet").ToList();
        Assert.Equal(["video", "audio", "text", "text"], sets.Select(s => (string?)s.Attribute("contentType")));
        Assert.Equal(sets.Count, sets.Select(s => (string?)s.Attribute("id")).Distinct().Count());
        var english = sets.Single(s => (string?)s.Attribute("lang") == "en");
        Assert.Equal("text/vtt", (string?)english.Attribute("mimeType"));
        Assert.Equal("English", (string?)english.Element(Dash + "Label"));
        Assert.Equal("subtitle", (string?)english.Element(Dash + "Role")!.Attribute("value"));
        Assert.Equal("captions/en.vtt", (string?)english.Element(Dash + "Representation")!.Element(Dash + "BaseURL"));
        // The reader (used to restore the model) skips the text sets rather than failing on them.
        Assert.Equal(5, DashMpdReader.Parse(mpd.ToString()).Representations.Count);
    }

    [Fact]
    public void Hls_master_gets_a_subtitles_group_and_a_playlist_per_language()
    {
        var files = HlsWriter.Write(Build(English, German), 30);
        var master = files[HlsWriter.MasterKey].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"English\",LANGUAGE=\"en\",DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,URI=\"captions/en.m3u8\"", master);
        // A quote inside a label would end the quoted string early.
        Assert.Contains(master, l => l.Contains("NAME=\"Deutsch 'DE'\"", StringComparison.Ordinal));
        var variants = master.Where(l => l.StartsWith("#EXT-X-STREAM-INF:", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, variants.Count);
        Assert.All(variants, v => Assert.EndsWith(",AUDIO=\"audio\",SUBTITLES=\"subs\"", v));

        var en = files["captions/en.m3u8"].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["#EXTM3U", "#EXT-X-VERSION:7"], en[..2]);
        Assert.Contains("#EXT-X-PLAYLIST-TYPE:VOD", en);
        var duration = Build().Duration;
        Assert.Contains($"#EXT-X-TARGETDURATION:{(int)Math.Ceiling(duration)}", en);
        Assert.Equal("en.vtt", en[^2]);
        Assert.Equal("#EXT-X-ENDLIST", en[^1]);
    }

    [Fact]
    public void Hls_without_captions_names_no_subtitles_group()
    {
        var master = HlsWriter.Write(Build(), 30)[HlsWriter.MasterKey];
        Assert.DoesNotContain("SUBTITLES", master);
    }

    [Fact]
    public void Published_indexes_restore_to_a_model_that_writes_the_same_files()
    {
        var original = Build(English);
        var files = PlaybackIndexes.Write(original, 30).ToDictionary(f => f.Key, f => f.Value);
        Assert.Equal(OutputLayout.ManifestJsonKey, PlaybackIndexes.Write(original, 30)[^1].Key);

        var restored = PlaybackIndexes.Restore(files[OutputLayout.ManifestJsonKey], files[OutputLayout.ManifestMpdKey]);
        var rewritten = PlaybackIndexes.Write(restored, 30).ToDictionary(f => f.Key, f => f.Value);
        Assert.Equal(files, rewritten);

        // Adding a track later changes the indexes only by that track.
        var withGerman = PlaybackIndexes.Write(PlaybackIndexes.WithCaptions(restored, [English, German]), 30).ToDictionary(f => f.Key, f => f.Value);
        Assert.Contains("captions/de.m3u8", withGerman.Keys);
        Assert.Equal(files["video/720p/index.m3u8"], withGerman["video/720p/index.m3u8"]);
        var removed = PlaybackIndexes.Write(PlaybackIndexes.WithCaptions(restored, []), 30).ToDictionary(f => f.Key, f => f.Value);
        Assert.DoesNotContain(removed.Keys, k => k.StartsWith(CaptionPaths.Folder, StringComparison.Ordinal));
        Assert.DoesNotContain("contentType=\"text\"", removed[OutputLayout.ManifestMpdKey]);
    }

    [Fact]
    public void Restore_refuses_indexes_that_do_not_match()
    {
        var files = PlaybackIndexes.Write(Build(), 30).ToDictionary(f => f.Key, f => f.Value);
        var otherMpd = files[OutputLayout.ManifestMpdKey].Replace("id=\"720p\"", "id=\"721p\"", StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => PlaybackIndexes.Restore(files[OutputLayout.ManifestJsonKey], otherMpd));
    }

    [Fact]
    public void Captions_are_served_short_lived_as_text_vtt()
    {
        Assert.Equal(CachePolicy.Short, CachePolicies.Of("captions/en.vtt"));
        Assert.Equal(CachePolicy.Short, CachePolicies.Of("captions/en.m3u8"));
        Assert.Equal("text/vtt", MediaContentTypes.Of("captions/en.vtt"));
        Assert.Equal(CachePolicy.Immutable, CachePolicies.Of("video/720p/seg_00001.m4s"));
    }

    [Fact]
    public void Remux_command_copies_streams_with_faststart_and_opens_inputs_as_local_mp4_only()
    {
        var args = new FfmpegCommandBuilder(new MediaToolsOptions()).BuildRemux("/w/video.mp4", "/w/audio.mp4", "/w/out.mp4");
        var line = FfmpegCommandBuilder.ToCommandLine("ffmpeg", args);
        Assert.Equal(
            "ffmpeg -hide_banner -nostdin -y -v error -protocol_whitelist file -format_whitelist mov,matroska,avi,mpegts,flv,ogg,mpeg,asf -enable_drefs 0 -use_absolute_path 0 -i /w/video.mp4 " +
            "-protocol_whitelist file -format_whitelist mov,matroska,avi,mpegts,flv,ogg,mpeg,asf -enable_drefs 0 -use_absolute_path 0 -i /w/audio.mp4 " +
            "-map 0:v:0 -map 1:a:0 -c copy -movflags +faststart -f mp4 /w/out.mp4",
            line);
        Assert.DoesNotContain("libx264", line);
        var silent = FfmpegCommandBuilder.ToCommandLine("ffmpeg", new FfmpegCommandBuilder(new MediaToolsOptions()).BuildRemux("/w/video.mp4", null, "/w/out.mp4"));
        Assert.DoesNotContain("1:a:0", silent);
        Assert.Single(args, a => a == "-c");
    }
}

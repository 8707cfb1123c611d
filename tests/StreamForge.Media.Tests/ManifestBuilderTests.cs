using StreamForge.Media.Tests.Support;

namespace StreamForge.Media.Tests;

public class ManifestBuilderTests
{
    private static Manifest Build(bool audio = true)
    {
        var (ladder, rungs) = TestData.Ladder1080(audio);
        return ManifestBuilder.Build("vid-1", TestData.Ffmpeg1080Mpd(), ladder, rungs, ManifestBuilder.Thumbnails(new MediaToolsOptions(), 1));
    }

    [Fact]
    public void Video_renditions_ordered_low_to_high_with_exact_codecs_and_final_paths()
    {
        var manifest = Build();

        Assert.Equal(1, manifest.Version);
        Assert.Equal("vid-1", manifest.VideoId);
        Assert.Equal(["360p", "480p", "720p", "1080p"], manifest.Video.Select(v => v.Id));
        Assert.Equal(["avc1.4d401e", "avc1.4d401f", "avc1.64001f", "avc1.640028"], manifest.Video.Select(v => v.Codecs));

        var v720 = manifest.Video[2];
        Assert.Equal((1280, 720, 2_800_000L, "video/mp4"), (v720.Width, v720.Height, v720.Bandwidth, v720.MimeType));
        Assert.Equal("video/720p/init.mp4", v720.Init);
        Assert.Equal(["video/720p/seg_00001.m4s", "video/720p/seg_00002.m4s", "video/720p/seg_00003.m4s"], v720.Segments.Select(s => s.Url));
        Assert.Equal([0.0, 4.0, 8.0], v720.Segments.Select(s => s.Start));
        Assert.Equal(15360, v720.Timescale);
    }

    [Fact]
    public void Audio_keeps_its_own_segment_timing()
    {
        var audio = Build().Audio!;
        Assert.Equal(("mp4a.40.2", "audio/mp4", 128_000L, "audio/init.mp4"), (audio.Codecs, audio.MimeType, audio.Bandwidth, audio.Init));
        Assert.Equal(4, audio.Segments.Count);
        Assert.Equal("audio/seg_00004.m4s", audio.Segments[3].Url);
        Assert.Equal(Math.Round(189440 / 48000.0, 6), audio.Segments[0].Duration);
        Assert.Equal(Math.Round(189440 / 48000.0, 6), audio.Segments[1].Start);
        Assert.Equal((48000, 2), (audio.SamplingRate, audio.Channels));
    }

    [Fact]
    public void Duration_is_the_end_of_the_longest_track()
    {
        Assert.Equal(Math.Round(576227 / 48000.0, 3), Build().Duration);   // audio ends at 12.0047 s
        Assert.Equal(12.0, Build(audio: false).Duration);
    }

    [Fact]
    public void No_audio_means_null_audio()
    {
        Assert.Null(Build(audio: false).Audio);
    }

    [Fact]
    public void Thumbnails_mpd_and_poster_use_the_final_paths()
    {
        var manifest = Build();
        Assert.Equal("manifest.mpd", manifest.Mpd);
        Assert.Equal("poster.jpg", manifest.Poster);
        Assert.Equal("master.m3u8", manifest.Hls);
        Assert.Equal(new ThumbnailSet("thumbs/thumbs.vtt", 4, 160, 90, manifest.Thumbnails.Sprites), manifest.Thumbnails);
        Assert.Equal(new SpriteSheet("thumbs/sprite_001.jpg", 10, 10), Assert.Single(manifest.Thumbnails.Sprites));
    }

    [Fact]
    public void Json_is_camel_case_in_the_documented_order_with_null_audio()
    {
        var json = ManifestJson.Serialize(Build(audio: false));
        var keys = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject().Select(p => p.Key);
        Assert.Equal(["version", "videoId", "duration", "video", "audio", "thumbnails", "mpd", "poster", "hls", "complete"], keys);
        Assert.Contains("\"audio\": null", json);
        Assert.Contains("\"url\": \"video/360p/seg_00001.m4s\"", json);
        Assert.Contains("\"tileWidth\": 160", json);
        Assert.DoesNotContain("ticks", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("timescale", json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Json_round_trips()
    {
        var manifest = Build();
        var back = ManifestJson.Deserialize(ManifestJson.Serialize(manifest));
        Assert.Equal(manifest.Video.Select(v => v.Segments.Count), back.Video.Select(v => v.Segments.Count));
        Assert.Equal(manifest.Audio!.Segments.Select(s => s.Start), back.Audio!.Segments.Select(s => s.Start));
        Assert.Equal(manifest.Duration, back.Duration);
    }

    [Fact]
    public void A_rendition_without_segments_is_a_permanent_failure()
    {
        var (ladder, rungs) = TestData.Ladder1080(audio: false);
        var empty = TestData.Ffmpeg1080Mpd();
        empty = empty with { Representations = empty.Representations.Select(r => r.Id == "0" ? r with { Segments = [] } : r).ToList() };
        var ex = Assert.Throws<MediaException>(() => ManifestBuilder.Build("v", empty, ladder, rungs, ManifestBuilder.Thumbnails(new MediaToolsOptions(), 1)));
        Assert.True(ex.IsPermanent);
    }
}

using StreamForge.Media.Tests.Support;

namespace StreamForge.Media.Tests;

public class OutputLayoutTests
{
    [Theory]
    [InlineData("video/720p/init.mp4", "video/mp4", CachePolicy.Immutable)]
    [InlineData("video/720p/seg_00001.m4s", "video/mp4", CachePolicy.Immutable)]
    [InlineData("audio/init.mp4", "audio/mp4", CachePolicy.Immutable)]
    [InlineData("audio/seg_00002.m4s", "audio/mp4", CachePolicy.Immutable)]
    [InlineData("thumbs/sprite_001.jpg", "image/jpeg", CachePolicy.Immutable)]
    [InlineData("poster.jpg", "image/jpeg", CachePolicy.Immutable)]
    [InlineData("thumbs/thumbs.vtt", "text/vtt", CachePolicy.Short)]
    [InlineData("manifest.json", "application/json", CachePolicy.Short)]
    [InlineData("manifest.mpd", "application/dash+xml", CachePolicy.Short)]
    public void Content_type_and_cache_policy_per_key(string key, string contentType, CachePolicy policy)
    {
        Assert.Equal(contentType, MediaContentTypes.Of(key));
        Assert.Equal(policy, CachePolicies.Of(key));
    }

    [Theory]
    [InlineData(CachePolicy.Immutable, "public, max-age=31536000, immutable")]
    [InlineData(CachePolicy.Short, "public, max-age=10")]
    public void One_cache_control_per_policy(CachePolicy policy, string header)
    {
        Assert.Equal(header, policy.CacheControl());
        Assert.Equal(header, new OutputFile("k", "/tmp/k", "video/mp4", policy, 1).CacheControl);
    }

    [Fact]
    public void Final_keys_follow_the_playback_contract()
    {
        Assert.Equal("video/1080p/init.mp4", OutputLayout.VideoInitKey("1080p"));
        Assert.Equal("video/1080p/seg_00012.m4s", OutputLayout.VideoSegmentKey("1080p", 12));
        Assert.Equal("audio/seg_00003.m4s", OutputLayout.AudioSegmentKey(3));
        Assert.Equal("thumbs/sprite_002.jpg", OutputLayout.SpriteKey(2));
    }

    [Theory]
    [InlineData("seg-$RepresentationID$-$Number%05d$.m4s", "3", 12, "seg-3-00012.m4s")]
    [InlineData("init-$RepresentationID$.m4s", "0", 0, "init-0.m4s")]
    [InlineData("c$Number$.m4s", "x", 7, "c7.m4s")]
    [InlineData("a$$b", "x", 1, "a$b")]
    public void Expands_dash_templates(string template, string id, long number, string expected)
    {
        Assert.Equal(expected, OutputLayout.ExpandTemplate(template, id, number));
    }

    [Fact]
    public void Arranges_ffmpeg_files_into_the_final_layout_and_lists_them_manifest_last()
    {
        using var work = new TempDir();
        var layout = new OutputLayout(work.Path);
        layout.Prepare();

        var mpd = TestData.Ffmpeg1080Mpd();
        var (ladder, rungs) = TestData.Ladder1080();
        foreach (var rep in mpd.Representations)
        {
            File.WriteAllText(Path.Combine(layout.DashDirectory, $"init-{rep.Id}.m4s"), "init");
            foreach (var s in rep.Segments)
            {
                File.WriteAllText(Path.Combine(layout.DashDirectory, $"seg-{rep.Id}-{s.Number:00000}.m4s"), $"{rep.Id}/{s.Number}");
            }
        }

        File.WriteAllText(Path.Combine(layout.ThumbsDirectory, "sprite_001.jpg"), "jpg");
        File.WriteAllText(layout.PosterPath, "poster");
        Assert.Equal(1, layout.CountSprites());

        var manifest = ManifestBuilder.Build("v", mpd, ladder, rungs, ManifestBuilder.Thumbnails(new MediaToolsOptions(), 1));
        layout.Arrange(manifest, mpd, ladder, rungs);
        layout.WriteText(OutputLayout.ManifestJsonKey, "{}");
        layout.WriteText(OutputLayout.ManifestMpdKey, "<MPD/>");

        var outputs = layout.ListOutputs();
        Assert.Equal("manifest.json", outputs[^1].Key);
        Assert.Equal("3/2", File.ReadAllText(Path.Combine(layout.OutputRoot, "video", "1080p", "seg_00002.m4s")));
        Assert.Equal("4/4", File.ReadAllText(Path.Combine(layout.OutputRoot, "audio", "seg_00004.m4s")));
        Assert.Contains(outputs, f => f.Key == "video/360p/init.mp4" && f.ContentType == "video/mp4" && f.CacheControl.Contains("immutable"));
        Assert.Contains(outputs, f => f.Key == "poster.jpg");
        Assert.Equal(4 * (1 + 3) + 1 + 4 + 1 + 1 + 2, outputs.Count);
        Assert.Empty(Directory.EnumerateFiles(layout.DashDirectory, "*.m4s"));
    }

    [Fact]
    public void A_missing_ffmpeg_file_is_a_transient_error()
    {
        using var work = new TempDir();
        var layout = new OutputLayout(work.Path);
        layout.Prepare();
        var mpd = TestData.Ffmpeg1080Mpd();
        var (ladder, rungs) = TestData.Ladder1080();
        var manifest = ManifestBuilder.Build("v", mpd, ladder, rungs, ManifestBuilder.Thumbnails(new MediaToolsOptions(), 1));

        var ex = Assert.Throws<MediaException>(() => layout.Arrange(manifest, mpd, ladder, rungs));
        Assert.False(ex.IsPermanent);
        Assert.Contains("init-0.m4s", ex.Message);
    }
}

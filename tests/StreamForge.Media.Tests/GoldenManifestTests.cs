using StreamForge.Media.Tests.Support;

namespace StreamForge.Media.Tests;

public class GoldenManifestTests
{
    /// <summary>
    /// manifest.json of a fixed generated clip (1280x720, 25 fps, 5 s, audio) against Golden/manifest.verified.json:
    /// keys, rendition ids, sizes, codecs, segment counts and rounded starts/durations must match; bandwidth may drift 25%.
    /// </summary>
    [Fact]
    public async Task Manifest_json_matches_the_verified_file()
    {
        using var clip = await ProcessedClip.RunAsync(await Clips.Golden720(), videoId: "golden-video");
        Golden.AssertMatches(
            File.ReadAllText(clip.PathOf("manifest.json")),
            "manifest",
            relativeTolerances: new Dictionary<string, double> { ["bandwidth"] = 0.25 },
            decimals: 2);
    }

    [Fact]
    public void Compare_helper_allows_tolerances_and_reports_structure_changes()
    {
        var diffs = new List<string>();
        var tolerances = new Dictionary<string, double> { ["bandwidth"] = 0.1 };
        Golden.Compare(
            System.Text.Json.Nodes.JsonNode.Parse("""{"a":[{"bandwidth":1000,"start":4.004,"id":"x"}],"gone":1}"""),
            System.Text.Json.Nodes.JsonNode.Parse("""{"a":[{"bandwidth":1050,"start":4.0011,"id":"y"}],"new":1}"""),
            "$", null, tolerances, 2, diffs);
        Assert.Equal(["$.a[0].id: expected \"x\", found \"y\"", "$.gone: missing", "$.new: unexpected"], diffs);
    }
}

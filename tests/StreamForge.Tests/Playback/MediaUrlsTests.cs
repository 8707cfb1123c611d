using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StreamForge.Core.Data;
using StreamForge.Core.Playback;
using StreamForge.Core.Storage;

namespace StreamForge.Tests.Playback;

/// <summary>Which URL a caller gets for a video's media: public ones as stored, private ones signed per request.</summary>
public sealed class MediaUrlsTests
{
    private const string Secret = "dGhlLXRlc3RzLW93bi1wbGF5YmFjay1zZWNyZXQtMDAw";
    private static readonly Guid Id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 12, 8, 10, 0, 0, TimeSpan.Zero));
    private static readonly MediaAccess Viewer = new(Guid.Parse("7c9e6679-7425-40de-944b-e07fc1f90ae7"), "https://api.example");

    private static MediaUrls Urls(string? cdn) => new(
        Options.Create(new PlaybackOptions { CdnUrl = cdn, TokenSecret = Secret, TokenLifetimeMinutes = 60 }),
        Options.Create(new StorageOptions { PublicBaseUrl = "https://s3.example/streamforge" }), Clock);

    [Fact]
    public void Public_media_is_handed_out_as_stored_and_private_media_only_signed()
    {
        var urls = Urls("https://cdn.example/streamforge");
        var stored = urls.Stored(Id, 2, "manifest.json", mediaPrivate: true);
        Assert.Equal($"https://cdn.example/streamforge/private/{Id}/v2/manifest.json", stored);
        var video = new Video { Id = Id, MediaVersion = 2, MediaPrivate = true, ManifestUrl = stored };

        Assert.Null(urls.Rewrite(video, video.ManifestUrl, null));
        var signed = urls.Rewrite(video, video.ManifestUrl, Viewer)!;
        var token = System.Text.RegularExpressions.Regex.Match(signed, "^https://cdn.example/streamforge/p/([^/]+)/private/" + Id + "/v2/manifest.json$").Groups[1].Value;
        Assert.Equal(PlaybackTokenCheck.Valid, PlaybackTokens.Check(token, Id, 2, Clock.GetUtcNow(), Secret));
        Assert.Equal(Viewer.Viewer, PlaybackTokens.Viewer(token));
        Assert.Equal(PlaybackTokenCheck.Expired, PlaybackTokens.Check(token, Id, 2, Clock.GetUtcNow().AddMinutes(61), Secret));

        var open = new Video { Id = Id, MediaVersion = 2, ManifestUrl = urls.For(Id, 2, "manifest.json") };
        Assert.Equal(open.ManifestUrl, urls.Rewrite(open, open.ManifestUrl, null));
    }

    [Fact]
    public void Without_a_cdn_private_media_goes_through_the_api_and_a_share_link_caps_the_token()
    {
        var urls = Urls(null);
        var until = Clock.GetUtcNow().AddMinutes(5);
        var signed = urls.ForPrivate(Id, 1, "video/360p/seg_00001.m4s", Viewer with { Viewer = null, NotAfter = until })!;
        Assert.StartsWith("https://api.example/api/v1/media/p/", signed);
        Assert.EndsWith($"/private/{Id}/v1/video/360p/seg_00001.m4s", signed);
        var token = signed.Split("/p/")[1].Split('/')[0];
        Assert.StartsWith($"{until.ToUnixTimeSeconds()}.0.", token);
    }

    [Fact]
    public void A_stored_url_in_an_event_is_signed_when_it_names_private_media()
    {
        var urls = Urls("https://cdn.example/streamforge");
        var stored = urls.Stored(Id, 3, "manifest.json", mediaPrivate: true);
        Assert.Contains($"/p/", urls.SignStored(stored, Id, Viewer));
        Assert.EndsWith($"/private/{Id}/v3/manifest.json", urls.SignStored(stored, Id, Viewer));
        var open = urls.For(Id, 3, "manifest.json");
        Assert.Equal(open, urls.SignStored(open, Id, Viewer));
        Assert.Equal("manifest.json", MediaUrls.Relative(stored, Id, 3));
        Assert.Equal($"media/{Id}/v3/", StorageKeys.MediaVersionPrefix(Id, 3));
        Assert.Equal($"private/{Id}/v3/", StorageKeys.MediaVersionPrefix(Id, 3, mediaPrivate: true));
    }
}

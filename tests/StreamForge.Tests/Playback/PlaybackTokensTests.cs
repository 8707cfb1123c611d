using System.Security.Cryptography;
using System.Text;
using StreamForge.Core.Playback;

namespace StreamForge.Tests.Playback;

/// <summary>The playback token is pure: made and checked here, and by nginx's secure_link with the same formula.</summary>
public sealed class PlaybackTokensTests
{
    private const string Secret = "c2VjcmV0LW9mLXRoZS10ZXN0cy1vbmx5LW5vdC1yZWFs";
    private static readonly Guid Video = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
    private static readonly Guid Viewer = Guid.Parse("7c9e6679-7425-40de-944b-e07fc1f90ae7");
    private static readonly DateTimeOffset Now = new(2026, 12, 8, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_fresh_token_opens_its_video_and_version()
    {
        var token = PlaybackTokens.Create(Video, 3, Viewer, Now.AddMinutes(10), Secret);
        Assert.Equal(PlaybackTokenCheck.Valid, PlaybackTokens.Check(token, Video, 3, Now, Secret));
        Assert.Equal(Viewer, PlaybackTokens.Viewer(token));
    }

    [Fact]
    public void The_signature_is_what_nginx_secure_link_md5_computes()
    {
        var expires = Now.AddMinutes(10).ToUnixTimeSeconds();
        var token = PlaybackTokens.Create(Video, 3, null, Now.AddMinutes(10), Secret);
        // secure_link_md5 "$expires:$video:$version:$viewer:SECRET", base64url without padding.
        var md5 = MD5.HashData(Encoding.UTF8.GetBytes($"{expires}:{Video:D}:3:0:{Secret}"));
        var sig = Convert.ToBase64String(md5).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Equal($"{expires}.0.{sig}", token);
        Assert.Null(PlaybackTokens.Viewer(token));
    }

    [Fact]
    public void An_expired_token_is_refused_after_its_last_second()
    {
        var token = PlaybackTokens.Create(Video, 1, Viewer, Now, Secret);
        Assert.Equal(PlaybackTokenCheck.Valid, PlaybackTokens.Check(token, Video, 1, Now, Secret));
        Assert.Equal(PlaybackTokenCheck.Expired, PlaybackTokens.Check(token, Video, 1, Now.AddSeconds(1), Secret));
    }

    [Fact]
    public void A_token_opens_no_other_video_version_or_viewer()
    {
        var token = PlaybackTokens.Create(Video, 2, Viewer, Now.AddHours(1), Secret);
        Assert.Equal(PlaybackTokenCheck.BadSignature, PlaybackTokens.Check(token, Guid.NewGuid(), 2, Now, Secret));
        Assert.Equal(PlaybackTokenCheck.BadSignature, PlaybackTokens.Check(token, Video, 3, Now, Secret));
        var otherViewer = token.Replace(Viewer.ToString("N"), Guid.NewGuid().ToString("N"));
        Assert.Equal(PlaybackTokenCheck.BadSignature, PlaybackTokens.Check(otherViewer, Video, 2, Now, Secret));
        var anonymous = token.Replace(Viewer.ToString("N"), "0");
        Assert.Equal(PlaybackTokenCheck.BadSignature, PlaybackTokens.Check(anonymous, Video, 2, Now, Secret));
        Assert.Equal(PlaybackTokenCheck.BadSignature, PlaybackTokens.Check(token, Video, 2, Now, Secret + "x"));
    }

    [Fact]
    public void A_tampered_token_is_refused()
    {
        var token = PlaybackTokens.Create(Video, 1, null, Now.AddMinutes(5), Secret);
        var parts = token.Split('.');
        // A later expiry with the old signature.
        Assert.Equal(PlaybackTokenCheck.BadSignature, PlaybackTokens.Check($"{long.Parse(parts[0]) + 3600}.{parts[1]}.{parts[2]}", Video, 1, Now, Secret));
        // One character of the signature changed.
        var sig = parts[2].ToCharArray();
        sig[5] = sig[5] == 'A' ? 'B' : 'A';
        Assert.Equal(PlaybackTokenCheck.BadSignature, PlaybackTokens.Check($"{parts[0]}.{parts[1]}.{new string(sig)}", Video, 1, Now, Secret));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("1.0")]
    [InlineData("1.0.a.b")]
    [InlineData("-5.0.abc")]
    [InlineData("12x.0.abc")]
    [InlineData("1.ABCDEF.abc")]
    [InlineData("1.7C9E6679742540DE944BE07FC1F90AE7.abc")]
    [InlineData("99999999999999999999.0.abc")]
    public void Malformed_tokens_are_refused(string? token) =>
        Assert.Equal(PlaybackTokenCheck.Malformed, PlaybackTokens.Check(token, Video, 1, Now, Secret));

    [Fact]
    public void A_megabyte_token_is_refused_without_hashing_it() =>
        Assert.Equal(PlaybackTokenCheck.Malformed, PlaybackTokens.Check(new string('1', 1_000_000), Video, 1, Now, Secret));
}

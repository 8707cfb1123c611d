using System.Security.Cryptography;
using System.Text;
using StreamForge.Core.Webhooks;

namespace StreamForge.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    private const string Secret = "whsec_test";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"e","type":"video.ready"}""");
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    [Fact]
    public void The_header_is_t_and_the_hex_hmac_of_t_dot_body()
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes("1800000000." + Encoding.UTF8.GetString(Body)));
        Assert.Equal($"t=1800000000,v1={Convert.ToHexStringLower(mac)}", WebhookSignature.Sign(Secret, 1_800_000_000, Body));
    }

    [Fact]
    public void Verification_accepts_the_signature_and_refuses_tampering_other_secrets_and_old_timestamps()
    {
        var header = WebhookSignature.Sign(Secret, Now.ToUnixTimeSeconds(), Body);
        var fiveMinutes = TimeSpan.FromMinutes(5);
        Assert.True(WebhookSignature.Verify(Secret, header, Body, Now.AddMinutes(4), fiveMinutes));
        Assert.False(WebhookSignature.Verify(Secret, header, Body, Now.AddMinutes(6), fiveMinutes));
        Assert.False(WebhookSignature.Verify("whsec_other", header, Body, Now, fiveMinutes));
        Assert.False(WebhookSignature.Verify(Secret, header, [.. Body, (byte)' '], Now, fiveMinutes));
        Assert.False(WebhookSignature.Verify(Secret, header.Replace("t=1800000000", "t=1800000001"), Body, Now, fiveMinutes));
        Assert.False(WebhookSignature.Verify(Secret, "v1=zz", Body, Now, fiveMinutes));
    }

    [Fact]
    public void Secrets_are_prefixed_random_and_long()
    {
        var a = WebhookSignature.NewSecret();
        Assert.StartsWith("whsec_", a);
        Assert.Equal(6 + 64, a.Length);
        Assert.NotEqual(a, WebhookSignature.NewSecret());
    }
}

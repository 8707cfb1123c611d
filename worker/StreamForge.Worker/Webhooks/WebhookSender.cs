using System.Net.Http.Headers;
using System.Text;
using StreamForge.Core.Outbound;
using StreamForge.Core.Webhooks;

namespace StreamForge.Worker.Webhooks;

/// <summary>
/// One attempt of one delivery: a signed POST through the outbound guard (checked addresses, no redirects, a timeout),
/// a capped read of the answer; only a 2xx counts.
/// </summary>
public sealed class WebhookSender(HttpClient client, TimeProvider clock)
{
    /// <summary>Enough of an error page to tell the owner what the receiver said.</summary>
    private const int MaxResponseBytes = 4096;
    private const int MaxErrorChars = 300;

    public async Task<AttemptResult> SendAsync(DueDelivery delivery, CancellationToken ct)
    {
        var body = Encoding.UTF8.GetBytes(delivery.Payload);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("User-Agent", WebhookSignature.UserAgent);
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(delivery.Secret, timestamp, body));
        request.Headers.Add(WebhookSignature.DeliveryHeader, delivery.Id.ToString("D"));
        request.Headers.Add(WebhookSignature.EventHeader, delivery.EventType);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var answer = await OutboundHttp.ReadCappedAsync(response.Content, MaxResponseBytes, ct);
            var code = (int)response.StatusCode;
            if (code is >= 200 and < 300) return new(true, code, null);
            // A redirect is a failure like any other non-2xx: the receiver must name its final address.
            var said = Encoding.UTF8.GetString(answer).Trim();
            var error = $"The receiver answered HTTP {code}." + (said.Length == 0 ? "" : " " + said[..Math.Min(said.Length, MaxErrorChars)]);
            return new(false, code, error);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException or IOException && !ct.IsCancellationRequested)
        {
            return new(false, null, OutboundHttp.Describe(e));
        }
    }
}

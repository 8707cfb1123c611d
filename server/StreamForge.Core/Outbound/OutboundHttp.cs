using System.Net;
using System.Net.Sockets;

namespace StreamForge.Core.Outbound;

/// <summary>
/// HTTP clients for URLs that users name. The check happens where the connection is made: the host is resolved
/// once, every address is checked, and the socket connects to a checked address, so a name that answers a public
/// address to a first lookup and a private one to the next (DNS rebinding) gains nothing. Redirects are not followed:
/// each hop would be a new, unchecked target.
/// </summary>
public static class OutboundHttp
{
    public static HttpClient CreateClient(bool allowPrivateTargets, TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            // A proxy would connect on our behalf, and the address we checked would not be the one reached.
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = timeout < TimeSpan.FromSeconds(10) ? timeout : TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = (context, ct) => ConnectAsync(context.DnsEndPoint, allowPrivateTargets, ct),
        };
        return new HttpClient(handler) { Timeout = timeout };
    }

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowPrivateTargets, CancellationToken ct)
    {
        IPAddress[] addresses;
        try
        {
            addresses = await OutboundTargets.ResolveAsync(endpoint.Host, ct);
        }
        catch (SocketException)
        {
            throw new OutboundTargetRefusedException($"The host {endpoint.Host} cannot be resolved.");
        }
        if (addresses.Length == 0) throw new OutboundTargetRefusedException($"The host {endpoint.Host} cannot be resolved.");
        if (!allowPrivateTargets && OutboundTargets.Refusal(endpoint.Host, addresses) is { } reason)
            throw new OutboundTargetRefusedException(reason);

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last!;
    }

    /// <summary>Reads at most <paramref name="maxBytes"/> of a body (the rest is left unread): a receiver's answer is not ours to store whole.</summary>
    public static async Task<byte[]> ReadCappedAsync(HttpContent content, int maxBytes, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        var buffer = new byte[maxBytes];
        var filled = 0;
        while (filled < maxBytes)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled, maxBytes - filled), ct);
            if (read == 0) break;
            filled += read;
        }
        return buffer[..filled];
    }

    /// <summary>A failed request said in words a user can act on (the exception text of HttpClient is not).</summary>
    public static string Describe(Exception error) => error switch
    {
        OutboundTargetRefusedException refused => refused.Reason,
        HttpRequestException { InnerException: OutboundTargetRefusedException refused } => refused.Reason,
        HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } } => "The server refused the connection.",
        HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData } } => "The host cannot be resolved.",
        HttpRequestException { InnerException: SocketException socket } => $"The server cannot be reached ({socket.SocketErrorCode}).",
        HttpRequestException { InnerException: System.Security.Authentication.AuthenticationException } => "The server's TLS certificate was not accepted.",
        HttpRequestException http => $"The request failed: {http.Message}",
        TaskCanceledException or TimeoutException => "The server did not answer in time.",
        _ => error.Message,
    };
}

using System.Net;
using System.Net.Sockets;

namespace StreamForge.Core.Outbound;

/// <summary>
/// Which URLs and addresses a server-side fetch (webhooks, imports) may reach. Users name these URLs, so without the
/// checks they could make our servers call the cloud metadata service, the database or anything else on the private
/// network. The address is what counts, not the spelling: every form a name or literal can take ends as an IPAddress.
/// </summary>
public static class OutboundTargets
{
    public const int MaxUrlLength = 2048;

    /// <summary>What the URL itself says, before any lookup: null when fine, else the reason.</summary>
    public static string? CheckUrl(Uri url)
    {
        if (!url.IsAbsoluteUri) return "The URL must be absolute.";
        if (url.OriginalString.Length > MaxUrlLength) return $"The URL must be at most {MaxUrlLength} characters.";
        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) return "Only http and https URLs are allowed.";
        if (string.IsNullOrEmpty(url.Host)) return "The URL has no host.";
        if (!string.IsNullOrEmpty(url.UserInfo)) return "The URL must not carry a user name or password.";
        return null;
    }

    /// <summary>Parses and checks a user-supplied URL string (null when fine).</summary>
    public static string? CheckUrl(string? url, out Uri? parsed)
    {
        parsed = null;
        if (string.IsNullOrWhiteSpace(url)) return "A URL is required.";
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)) return "This is not a valid absolute URL.";
        if (CheckUrl(uri) is { } reason) return reason;
        parsed = uri;
        return null;
    }

    /// <summary>
    /// Checks the URL and, unless private targets are allowed, what its host resolves to right now. A connection made
    /// later checks again (<see cref="OutboundHttp"/>): the name may resolve elsewhere by then.
    /// </summary>
    public static async Task<string?> CheckAsync(Uri url, bool allowPrivateTargets, CancellationToken ct)
    {
        if (CheckUrl(url) is { } reason) return reason;
        if (allowPrivateTargets) return null;
        try
        {
            var addresses = await ResolveAsync(url.DnsSafeHost, ct);
            return Refusal(url.DnsSafeHost, addresses);
        }
        catch (SocketException)
        {
            return $"The host {url.DnsSafeHost} cannot be resolved.";
        }
    }

    /// <summary>The reason to refuse a host that resolved to <paramref name="addresses"/>, or null.</summary>
    internal static string? Refusal(string host, IReadOnlyList<IPAddress> addresses)
    {
        if (addresses.Count == 0) return $"The host {host} cannot be resolved.";
        // One bad address refuses the name: a resolver that answers both public and private addresses could otherwise
        // pass the check with one and be connected to with the other.
        return addresses.FirstOrDefault(IsForbiddenAddress) is { } bad
            ? $"The host {host} resolves to {bad}, a loopback, private or reserved address; only public addresses are allowed."
            : null;
    }

    /// <summary>A literal is its own answer (any spelling IPAddress accepts: decimal, octal, mapped); a name is looked up.</summary>
    internal static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        var bare = host.Trim('[', ']');
        return IPAddress.TryParse(bare, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(bare, ct);
    }

    /// <summary>
    /// True for every address that is not an ordinary public unicast one: loopback, private, link-local (with the cloud
    /// metadata address), carrier-grade NAT, multicast, broadcast, documentation and reserved ranges, and IPv6 forms
    /// that embed such an IPv4 address (mapped, compatible, NAT64, 6to4) or hide one (Teredo).
    /// </summary>
    public static bool IsForbiddenAddress(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) return IsForbiddenV4(address.MapToIPv4().GetAddressBytes());
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IsForbiddenV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => IsForbiddenV6(address.GetAddressBytes()),
            _ => true,
        };
    }

    private static bool IsForbiddenV4(byte[] b) => b[0] switch
    {
        0 => true,                                   // "this network", 0.0.0.0
        10 => true,                                  // private
        100 => b[1] is >= 64 and <= 127,             // carrier-grade NAT (also hosts Alibaba's metadata service)
        127 => true,                                 // loopback
        169 => b[1] == 254,                          // link-local, with 169.254.169.254 (cloud metadata)
        172 => b[1] is >= 16 and <= 31,              // private
        192 => b[1] == 168                           // private
               || b[1] == 0 && b[2] is 0 or 2        // IETF protocol assignments, TEST-NET-1
               || b[1] == 88 && b[2] == 99,          // 6to4 relay anycast
        198 => b[1] is 18 or 19                      // benchmarking
               || b[1] == 51 && b[2] == 100,         // TEST-NET-2
        203 => b[1] == 0 && b[2] == 113,             // TEST-NET-3
        >= 224 => true,                              // multicast, reserved, broadcast
        _ => false,
    };

    private static bool IsForbiddenV6(byte[] b)
    {
        // ::/96 holds the unspecified address, loopback and the deprecated IPv4-compatible form; none is a public host.
        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0) return true;
        if (b[0] == 0xff) return true;                                   // multicast
        if ((b[0] & 0xfe) == 0xfc) return true;                          // unique local fc00::/7 (fd00:ec2::254 is AWS metadata)
        if (b[0] == 0xfe && (b[1] & 0xc0) is 0x80 or 0xc0) return true;  // link-local fe80::/10, site-local fec0::/10
        if (b[0] == 0x01 && b[1] == 0x00 && b.AsSpan(2, 6).IndexOfAnyExcept((byte)0) < 0) return true; // discard 100::/64
        if (b[0] == 0x20 && b[1] == 0x01)
        {
            if (b[2] == 0x0d && b[3] == 0xb8) return true;               // documentation 2001:db8::/32
            if (b[2] == 0x00 && b[3] == 0x00) return true;               // Teredo: the IPv4 inside is obfuscated
        }
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)  // NAT64 64:ff9b::/96 and local-use 64:ff9b:1::/48
            return b[4] != 0 || b[5] != 0 || IsForbiddenV4(b[12..16]);
        if (b[0] == 0x20 && b[1] == 0x02) return IsForbiddenV4(b[2..6]);  // 6to4 2002::/16 embeds an IPv4 address
        return false;
    }
}

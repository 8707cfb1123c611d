namespace StreamForge.Api.Web;

/// <summary>Which reverse proxies may tell the API the client's address and scheme ("Proxy" section).</summary>
public sealed class ProxyOptions
{
    public const string Section = "Proxy";

    /// <summary>Proxy addresses (e.g. "10.0.0.5"). Forwarded headers from anyone else are ignored.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR form (e.g. "10.0.0.0/8").</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>Whether any proxy is configured (blank entries, as an empty environment variable gives, do not count).</summary>
    public static bool TrustsAnyProxy(IConfiguration configuration)
    {
        var proxy = configuration.GetSection(Section).Get<ProxyOptions>() ?? new ProxyOptions();
        return proxy.KnownProxies.Concat(proxy.KnownNetworks).Any(e => !string.IsNullOrWhiteSpace(e));
    }
}

namespace StreamForge.Core.Observability;

public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Networks (CIDR) whose clients may read /metrics; anyone else gets 404. Default: loopback only.</summary>
    public string[] AllowedNetworks { get; set; } = [];

    public static readonly string[] DefaultNetworks = ["127.0.0.0/8", "::1/128"];
}

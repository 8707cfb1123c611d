namespace StreamForge.Api.Operations;

public sealed class CorsOptions
{
    public const string Section = "Cors";
    public const string PolicyName = "configured-origins";

    /// <summary>Origins of a SPA served from elsewhere (split-origin deployments); empty = same origin only.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}

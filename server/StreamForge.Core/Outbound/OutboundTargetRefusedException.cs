namespace StreamForge.Core.Outbound;

/// <summary>A URL or the address its host resolves to is not one StreamForge may connect to.</summary>
public sealed class OutboundTargetRefusedException(string reason) : Exception(reason)
{
    public string Reason { get; } = reason;
}

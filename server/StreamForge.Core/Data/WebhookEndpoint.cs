namespace StreamForge.Core.Data;

/// <summary>
/// Where an account wants to hear about its videos. The secret is kept in clear because every delivery is signed with
/// it (an HMAC needs the key itself); it is shown to the owner once, at creation, and never listed again.
/// </summary>
public sealed class WebhookEndpoint
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public string Url { get; set; } = "";
    /// <summary>The event types delivered here (<see cref="Webhooks.WebhookEvents"/>).</summary>
    public string[] Events { get; set; } = [];
    public string Secret { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Set when the endpoint no longer receives events; a disabled endpoint keeps its delivery history.</summary>
    public DateTimeOffset? DisabledAt { get; set; }
}

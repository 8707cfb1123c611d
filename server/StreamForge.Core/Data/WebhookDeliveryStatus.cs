namespace StreamForge.Core.Data;

public static class WebhookDeliveryStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    /// <summary>Given up after <c>Webhooks:GiveUpAfter</c>; a resend makes it pending again.</summary>
    public const string Failed = "failed";
    public static readonly string[] All = [Pending, Delivered, Failed];
}

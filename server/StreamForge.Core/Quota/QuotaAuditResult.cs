namespace StreamForge.Core.Quota;

/// <summary>A user's storage_used_bytes next to what their rows say it should be.</summary>
public sealed record QuotaAuditResult(Guid UserId, long Ledger, long Expected)
{
    public bool Balanced => Ledger == Expected;
}

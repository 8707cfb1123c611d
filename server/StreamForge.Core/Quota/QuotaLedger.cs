using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Core.Data;

namespace StreamForge.Core.Quota;

/// <summary>
/// Atomic changes to a user's storage_used_bytes: one UPDATE that both checks and moves the counter,
/// so two uploads started at once cannot both squeeze under the quota.
/// </summary>
public sealed class QuotaLedger(StreamForgeDbContext db, IOptions<QuotaOptions> options)
{
    /// <summary>Adds <paramref name="bytes"/> (may be negative) if the user's quota allows it.</summary>
    public async Task<bool> TryChargeAsync(Guid userId, long bytes, CancellationToken ct)
    {
        var defaultQuota = options.Value.UserQuotaBytes;
        var rows = await db.Database.ExecuteSqlInterpolatedAsync($"""
            UPDATE users SET storage_used_bytes = GREATEST(0, storage_used_bytes + {bytes}), updated_at = now()
            WHERE id = {userId}
              AND ({bytes} <= 0
                   OR storage_used_bytes + {bytes} <= COALESCE(quota_bytes, CASE WHEN role = 'admin' THEN NULL ELSE {defaultQuota} END)
                   OR COALESCE(quota_bytes, CASE WHEN role = 'admin' THEN NULL ELSE {defaultQuota} END) IS NULL)
            """, ct);
        return rows == 1;
    }

    public Task ReleaseAsync(Guid userId, long bytes, CancellationToken ct) =>
        bytes <= 0 ? Task.CompletedTask : TryChargeAsync(userId, -bytes, ct);

    public async Task<(long Used, long? Quota)> UsageAsync(Guid userId, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId, ct);
        return (user.StorageUsedBytes, QuotaPolicy.EffectiveQuota(user, options.Value));
    }
}

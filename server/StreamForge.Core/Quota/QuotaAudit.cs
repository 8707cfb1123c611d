using Microsoft.EntityFrameworkCore;
using StreamForge.Core.Data;

namespace StreamForge.Core.Quota;

/// <summary>
/// Recomputes the quota ledger from the rows, independently of the code that moves it: an open upload holds its
/// declared size, a completed one the size storage measured, an expired or refused one nothing (an aborted or
/// deleted one has no row left). Races that move the quota twice, or not at all, show up as a difference.
/// </summary>
public sealed class QuotaAudit(StreamForgeDbContext db)
{
    public async Task<QuotaAuditResult?> CheckAsync(Guid userId, CancellationToken ct)
    {
        var rows = await db.Database.SqlQuery<QuotaAuditResult>($"""
            SELECT u.id AS "UserId", u.storage_used_bytes AS "Ledger",
                   COALESCE((SELECT SUM(CASE s.state WHEN 'active' THEN s.size WHEN 'completed' THEN v.size_bytes ELSE 0 END)
                             FROM videos v JOIN upload_sessions s ON s.video_id = v.id
                             WHERE v.owner_id = u.id), 0)::bigint AS "Expected"
            FROM users u WHERE u.id = {userId}
            """).ToListAsync(ct);
        return rows.FirstOrDefault();
    }
}

using Microsoft.EntityFrameworkCore;
using StreamForge.Core.Data;

namespace StreamForge.Api.Infrastructure;

/// <summary>
/// Row locks for count-then-insert caps (API keys, upload links, webhook endpoints per account; share links per video):
/// taken inside the creating transaction, they order concurrent creations, so racing requests cannot pass a cap
/// together. False when the row is gone.
/// </summary>
public static class CapLocks
{
    public static Task<bool> LockAccountAsync(this StreamForgeDbContext db, Guid userId, CancellationToken ct) =>
        db.Database.SqlQuery<Guid>($"SELECT id AS \"Value\" FROM users WHERE id = {userId} FOR UPDATE").AnyAsync(ct);

    public static Task<bool> LockVideoAsync(this StreamForgeDbContext db, Guid videoId, CancellationToken ct) =>
        db.Database.SqlQuery<Guid>($"SELECT id AS \"Value\" FROM videos WHERE id = {videoId} FOR UPDATE").AnyAsync(ct);
}

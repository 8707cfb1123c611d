using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace StreamForge.Core.Data;

/// <summary>
/// Applies migrations with one migrator at a time per database. The API and every worker migrate at start-up, often
/// at the same moment; EF's own migration lock did not stop a second process from re-running a migration another
/// had just applied ("column already exists", and that process died). A session-level advisory lock on a dedicated
/// connection is held across the whole run, so the second migrator sees the first one's history.
/// </summary>
public static class SchemaMigration
{
    // Arbitrary, fixed: identifies "StreamForge schema migration" among advisory locks.
    private const long LockKey = 0x5354_5246_4d49_47; // "STRFMIG"

    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var db = services.GetRequiredService<StreamForgeDbContext>();
        await using var conn = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(ct);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", conn))
        {
            take.Parameters.AddWithValue("key", LockKey);
            await take.ExecuteNonQueryAsync(ct);
        }
        try
        {
            // Without the history table EF first queries it anyway and logs that failure as an error on every new
            // database; creating it (EF's own script, idempotent) keeps a first start free of alarming lines.
            await db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), ct);
            await db.Database.MigrateAsync(ct);
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", conn);
            release.Parameters.AddWithValue("key", LockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}

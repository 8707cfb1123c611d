using Microsoft.EntityFrameworkCore;
using Npgsql;
using StreamForge.Core.Data;

namespace StreamForge.Tests.Data;

/// <summary>
/// The migrations are hand-written, so this proves they build exactly the schema the EF model
/// describes: tables, columns (type, nullability), indexes and constraints.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class SchemaTests(StackFixture stack)
{
    [Fact]
    public async Task Migrated_schema_matches_the_model()
    {
        var migrated = await NewDatabaseAsync();
        var fromModel = await NewDatabaseAsync();
        await using (var db = Context(migrated)) await db.Database.MigrateAsync();
        await using (var db = Context(fromModel))
        {
            var script = db.Database.GenerateCreateScript();
            await using var conn = new NpgsqlConnection(fromModel);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand(script, conn);
            await cmd.ExecuteNonQueryAsync();
        }

        var expected = await DescribeAsync(fromModel);
        var actual = await DescribeAsync(migrated);
        Assert.NotEmpty(expected);
        Assert.Contains(expected, l => l.StartsWith("column upload_parts.etag"));
        Assert.Equal(expected, actual);
    }

    private static StreamForgeDbContext Context(string cs) => new(new DbContextOptionsBuilder<StreamForgeDbContext>()
        .UseNpgsql(cs).ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.PendingModelChangesWarning)).Options);

    private async Task<string> NewDatabaseAsync()
    {
        var name = "schema_" + Guid.NewGuid().ToString("N")[..10];
        await using var conn = new NpgsqlConnection(stack.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", conn);
        await cmd.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(stack.ConnectionString) { Database = name }.ConnectionString;
    }

    private static async Task<List<string>> DescribeAsync(string cs)
    {
        const string sql = """
            SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || coalesce(character_maximum_length::text, '') || ' ' || is_nullable || ' ' || coalesce(is_identity, '')
              FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '__EFMigrationsHistory'
            UNION ALL
            SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '__EFMigrationsHistory'
            UNION ALL
            SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
              WHERE connamespace = 'public'::regnamespace AND conrelid <> '"__EFMigrationsHistory"'::regclass
            """;
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        // The history table only exists in the migrated database; make the regclass resolvable in both.
        await using (var ensure = new NpgsqlCommand("""CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" ("MigrationId" varchar(150) PRIMARY KEY, "ProductVersion" varchar(32) NOT NULL)""", conn))
            await ensure.ExecuteNonQueryAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }
}

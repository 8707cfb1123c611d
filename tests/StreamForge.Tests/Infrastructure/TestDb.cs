using Npgsql;

namespace StreamForge.Tests.Infrastructure;

/// <summary>Direct reads of a test database, for facts the API does not expose (job history rows).</summary>
public static class TestDb
{
    /// <summary>Runs <paramref name="sql"/> with @id (a Guid) or @ids (a Guid[]) and returns the first column as text.</summary>
    public static async Task<List<string>> QueryAsync(ApiFactory api, string sql, object id)
    {
        await using var conn = new NpgsqlConnection(api.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.AddWithValue(id is Guid[] ? "ids" : "id", id);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }
}

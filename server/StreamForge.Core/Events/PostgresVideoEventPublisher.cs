using System.Text.Json;
using Npgsql;

namespace StreamForge.Core.Events;

/// <summary>Publishes through Postgres NOTIFY so every API node hears every worker.</summary>
public sealed class PostgresVideoEventPublisher(NpgsqlDataSource dataSource) : IVideoEventPublisher
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task PublishAsync(VideoEvent e, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT pg_notify(@channel, @payload)");
        cmd.Parameters.AddWithValue("channel", VideoEvent.Channel);
        cmd.Parameters.AddWithValue("payload", JsonSerializer.Serialize(e, Json));
        await cmd.ExecuteNonQueryAsync(ct);
    }
}

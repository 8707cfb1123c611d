using Npgsql;

namespace StreamForge.Core.Videos;

/// <summary>
/// Per-video PostgreSQL advisory locks that keep media writers and the media move apart. Writers of media for an
/// existing version (poster, download remux, caption publisher) hold the lock shared while they write, and read the
/// video's location (media_private) only once they hold it; the move takes it exclusively with a try-lock (and
/// reschedules itself when a writer holds it), so no writer can be halfway through writing into a prefix the move
/// is leaving. Session-level locks on a dedicated connection: they are held across the storage calls, which are no
/// database transaction, and die with the connection if the process does.
/// </summary>
public sealed class MediaLocks(NpgsqlDataSource dataSource)
{
    /// <summary>The advisory-lock "class" of media locks (two-key form: class, then the video's key).</summary>
    private const int LockClass = 0x53464D4C;

    /// <summary>Waits until no move runs, then holds the shared lock; the lease says where the media is now.</summary>
    public async Task<MediaLease> EnterWriterAsync(Guid videoId, CancellationToken ct)
    {
        var conn = await dataSource.OpenConnectionAsync(ct);
        try
        {
            await ExecAsync(conn, "SELECT pg_advisory_lock_shared(@c, @o)", videoId, ct);
            return new MediaLease(conn, videoId, shared: true, await ReadLocationAsync(conn, videoId, ct));
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }

    /// <summary>The exclusive lock when no writer (or other move) holds it now; null otherwise.</summary>
    public async Task<MediaLease?> TryEnterMoveAsync(Guid videoId, CancellationToken ct)
    {
        var conn = await dataSource.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = new NpgsqlCommand("SELECT pg_try_advisory_lock(@c, @o)", conn);
            Bind(cmd, videoId);
            if (await cmd.ExecuteScalarAsync(ct) is not true)
            {
                await conn.DisposeAsync();
                return null;
            }
            return new MediaLease(conn, videoId, shared: false, await ReadLocationAsync(conn, videoId, ct));
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }

    internal static void Bind(NpgsqlCommand cmd, Guid videoId)
    {
        cmd.Parameters.AddWithValue("c", LockClass);
        cmd.Parameters.AddWithValue("o", KeyOf(videoId));
    }

    /// <summary>32 bits of the id: two videos sharing a key only ever wait for each other, never write wrongly.</summary>
    internal static int KeyOf(Guid videoId)
    {
        Span<byte> bytes = stackalloc byte[16];
        videoId.TryWriteBytes(bytes);
        return BitConverter.ToInt32(bytes[..4]) ^ BitConverter.ToInt32(bytes[4..8]) ^ BitConverter.ToInt32(bytes[8..12]) ^ BitConverter.ToInt32(bytes[12..]);
    }

    private static async Task ExecAsync(NpgsqlConnection conn, string sql, Guid videoId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        Bind(cmd, videoId);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<bool?> ReadLocationAsync(NpgsqlConnection conn, Guid videoId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT media_private FROM videos WHERE id = @id", conn);
        cmd.Parameters.AddWithValue("id", videoId);
        return await cmd.ExecuteScalarAsync(ct) is bool b ? b : null;
    }
}

/// <summary>A held media lock; disposing releases it.</summary>
public sealed class MediaLease(NpgsqlConnection connection, Guid videoId, bool shared, bool? mediaPrivate) : IAsyncDisposable
{
    /// <summary>Where the video's media is while this lease is held; null when the video no longer exists.</summary>
    public bool? MediaPrivate { get; } = mediaPrivate;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var cmd = new NpgsqlCommand(shared ? "SELECT pg_advisory_unlock_shared(@c, @o)" : "SELECT pg_advisory_unlock(@c, @o)", connection);
            MediaLocks.Bind(cmd, videoId);
            await cmd.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // The connection is broken: the server released the lock with the session.
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }
}

namespace StreamForge.Core.Storage;

/// <summary>What a HEAD of an object measured: its size and the ETag naming this version of its bytes.</summary>
public sealed record StoredObject(long Size, string ETag);

/// <summary>
/// An object opened for streaming (a byte range of it when <see cref="ContentRange"/> is set), with the headers it was
/// stored with. Dispose it to release the connection.
/// </summary>
public sealed class StoredStream(Stream body, long length, string? contentType, string? cacheControl, string? etag, string? contentRange, IDisposable owner) : IAsyncDisposable
{
    public Stream Body { get; } = body;
    public long Length { get; } = length;
    public string? ContentType { get; } = contentType;
    public string? CacheControl { get; } = cacheControl;
    public string? ETag { get; } = etag;
    /// <summary>"bytes a-b/total" for a range answer; null for the whole object.</summary>
    public string? ContentRange { get; } = contentRange;

    public ValueTask DisposeAsync()
    {
        owner.Dispose();
        return ValueTask.CompletedTask;
    }
}

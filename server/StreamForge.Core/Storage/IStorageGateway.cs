namespace StreamForge.Core.Storage;

public sealed record CompletedPart(int PartNumber, string ETag);

/// <summary>The one place that talks to S3-compatible storage.</summary>
public interface IStorageGateway
{
    string PresignPut(string key, TimeSpan lifetime);
    string PresignUploadPart(string key, string uploadId, int partNumber, TimeSpan lifetime);
    Task<string> StartMultipartAsync(string key, string contentType, CancellationToken ct);
    Task CompleteMultipartAsync(string key, string uploadId, IReadOnlyList<CompletedPart> parts, CancellationToken ct);
    Task AbortMultipartAsync(string key, string uploadId, CancellationToken ct);
    /// <summary>Size of the stored object, or null when it does not exist.</summary>
    Task<long?> GetSizeAsync(string key, CancellationToken ct);
    /// <summary>Streams the object to a file; never buffers it in memory.</summary>
    Task DownloadToFileAsync(string key, string path, CancellationToken ct);
    /// <summary>Stores a file with exactly this Content-Type and Cache-Control (null = none) and no Content-Encoding.</summary>
    Task UploadFileAsync(string key, string path, string contentType, string? cacheControl, CancellationToken ct);
    Task DeleteAsync(string key, CancellationToken ct);
    Task<int> DeletePrefixAsync(string prefix, CancellationToken ct);
    Task<IReadOnlyList<string>> ListKeysAsync(string prefix, CancellationToken ct);
    Task PingAsync(CancellationToken ct);
}

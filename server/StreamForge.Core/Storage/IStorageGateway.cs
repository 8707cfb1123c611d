namespace StreamForge.Core.Storage;

/// <summary>The one place that talks to S3-compatible storage.</summary>
public interface IStorageGateway
{
    /// <summary>
    /// A URL for one PUT of the whole object. With <paramref name="contentLength"/> the length is part of
    /// the signature, so storage that verifies signed headers refuses a body of any other size. Signed, like
    /// <see cref="PresignUploadPart"/>, with the upload key pair (<see cref="StorageOptions.UploadAccessKey"/>).
    /// </summary>
    string PresignPut(string key, TimeSpan lifetime, long? contentLength = null);
    /// <summary>
    /// A URL for one GET of the object. <paramref name="contentDisposition"/> is signed into the URL
    /// (<c>response-content-disposition</c>), so storage answers with that header and the browser saves a file.
    /// </summary>
    string PresignGet(string key, TimeSpan lifetime, string? contentDisposition = null);
    string PresignUploadPart(string key, string uploadId, int partNumber, TimeSpan lifetime);
    Task<string> StartMultipartAsync(string key, string contentType, CancellationToken ct);
    Task<MultipartCompletion> CompleteMultipartAsync(string key, string uploadId, IReadOnlyList<CompletedPart> parts, CancellationToken ct);
    Task AbortMultipartAsync(string key, string uploadId, CancellationToken ct);
    /// <summary>
    /// The parts storage holds for an open multipart upload, with the ETag and size storage measured; null when the
    /// upload is no longer open (completed or aborted).
    /// </summary>
    Task<IReadOnlyList<StoredPart>?> ListPartsAsync(string key, string uploadId, CancellationToken ct);
    /// <summary>
    /// Sends one part of a multipart upload from memory (the server-side writer: URL imports) and returns its ETag;
    /// the caller holds one part at a time, so a file never sits in memory whole.
    /// </summary>
    Task<string> UploadPartAsync(string key, string uploadId, int partNumber, ReadOnlyMemory<byte> data, CancellationToken ct);
    /// <summary>Size of the stored object, or null when it does not exist.</summary>
    Task<long?> GetSizeAsync(string key, CancellationToken ct);
    /// <summary>Size and ETag of the stored object, or null when it does not exist.</summary>
    Task<StoredObject?> HeadAsync(string key, CancellationToken ct);
    /// <summary>Streams the object to a file; never buffers it in memory.</summary>
    Task DownloadToFileAsync(string key, string path, CancellationToken ct) => DownloadToFileAsync(key, path, null, ct);
    /// <summary>
    /// Streams the object to a file, reading only the version named by <paramref name="expectedETag"/> (when given):
    /// every GET carries If-Match and every response's ETag is checked. Throws <see cref="SourceChangedException"/>
    /// when the object was replaced.
    /// </summary>
    Task DownloadToFileAsync(string key, string path, string? expectedETag, CancellationToken ct);
    /// <summary>Stores a file with exactly this Content-Type and Cache-Control (null = none) and no Content-Encoding.</summary>
    Task UploadFileAsync(string key, string path, string contentType, string? cacheControl, CancellationToken ct);
    /// <summary>Stores a small text (UTF-8, no BOM) with exactly this Content-Type and Cache-Control.</summary>
    Task UploadTextAsync(string key, string text, string contentType, string? cacheControl, CancellationToken ct);
    /// <summary>A small text object read whole, or null when it does not exist.</summary>
    Task<string?> ReadTextAsync(string key, CancellationToken ct);
    /// <summary>
    /// Opens the object for streaming, only the bytes <paramref name="range"/> names when given (one "bytes=a-b" range);
    /// null when it does not exist. Throws <see cref="StorageException"/> (Refused) for a range outside the object.
    /// </summary>
    Task<StoredStream?> OpenReadAsync(string key, string? range, CancellationToken ct);
    /// <summary>A server-side copy within the bucket (no bytes pass through us), keeping Content-Type and Cache-Control.</summary>
    Task CopyAsync(string sourceKey, string destinationKey, CancellationToken ct);
    Task DeleteAsync(string key, CancellationToken ct);
    Task<int> DeletePrefixAsync(string prefix, CancellationToken ct);
    Task<IReadOnlyList<string>> ListKeysAsync(string prefix, CancellationToken ct);
    Task PingAsync(CancellationToken ct);
}

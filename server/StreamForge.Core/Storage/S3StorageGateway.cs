using System.Buffers;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace StreamForge.Core.Storage;

public sealed class S3StorageGateway : IStorageGateway, IDisposable
{
    private readonly AmazonS3Client _s3;
    /// <summary>Signs upload URLs only (signing is local: it never sends a request); the main client when no upload keys are set.</summary>
    private readonly AmazonS3Client _uploadSigner;
    private readonly StorageOptions _options;
    private readonly Protocol _protocol;
    private readonly ILogger<S3StorageGateway> _log;

    public S3StorageGateway(IOptions<StorageOptions> options, ILogger<S3StorageGateway> log)
    {
        _log = log;
        _options = options.Value;
        var config = new AmazonS3Config
        {
            ForcePathStyle = _options.ForcePathStyle,
            AuthenticationRegion = _options.Region,
            // Flexible checksums use streaming trailers that S3-compatible servers predating them refuse.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 2,
        };
        if (!string.IsNullOrEmpty(_options.ServiceUrl)) config.ServiceURL = _options.ServiceUrl;
        else config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(_options.Region);
        _protocol = _options.ServiceUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? Protocol.HTTP : Protocol.HTTPS;
        _s3 = new AmazonS3Client(new BasicAWSCredentials(_options.AccessKey, _options.SecretKey), config);
        _uploadSigner = _options.HasUploadKeys ? new AmazonS3Client(new BasicAWSCredentials(_options.UploadAccessKey, _options.UploadSecretKey), config) : _s3;
    }

    public string PresignPut(string key, TimeSpan lifetime, long? contentLength = null)
    {
        var request = Presign(key, HttpVerb.PUT, lifetime);
        // Signed into X-Amz-SignedHeaders: a PUT with another Content-Length no longer matches the signature.
        if (contentLength is { } length) request.Headers["Content-Length"] = length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return _uploadSigner.GetPreSignedURL(request);
    }

    public string PresignGet(string key, TimeSpan lifetime, string? contentDisposition = null)
    {
        var request = Presign(key, HttpVerb.GET, lifetime);
        if (contentDisposition is not null) request.ResponseHeaderOverrides.ContentDisposition = contentDisposition;
        return _s3.GetPreSignedURL(request);
    }

    public string PresignUploadPart(string key, string uploadId, int partNumber, TimeSpan lifetime)
    {
        var request = Presign(key, HttpVerb.PUT, lifetime);
        request.UploadId = uploadId;
        request.PartNumber = partNumber;
        return _uploadSigner.GetPreSignedURL(request);
    }

    private GetPreSignedUrlRequest Presign(string key, HttpVerb verb, TimeSpan lifetime) => new()
    {
        BucketName = _options.Bucket,
        Key = key,
        Verb = verb,
        Expires = DateTime.UtcNow.Add(lifetime),
        Protocol = _protocol,
    };

    public async Task<string> StartMultipartAsync(string key, string contentType, CancellationToken ct)
    {
        return await Guard("starting the upload of", key, async () =>
        {
            var response = await _s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
            {
                BucketName = _options.Bucket,
                Key = key,
                ContentType = contentType,
            }, ct);
            return response.UploadId;
        });
    }

    public async Task<MultipartCompletion> CompleteMultipartAsync(string key, string uploadId, IReadOnlyList<CompletedPart> parts, CancellationToken ct)
    {
        return await Guard("assembling", key, async () =>
        {
            try
            {
                await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
                {
                    BucketName = _options.Bucket,
                    Key = key,
                    UploadId = uploadId,
                    PartETags = parts.OrderBy(p => p.PartNumber).Select(p => new PartETag(p.PartNumber, p.ETag)).ToList(),
                }, ct);
                return MultipartCompletion.Completed;
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.BadRequest)
            {
                _log.LogInformation("Storage refused to assemble {Key} ({Code}): {Message}", key, e.ErrorCode, e.Message);
                return MultipartCompletion.PartsRejected;
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return MultipartCompletion.UploadGone;
            }
        });
    }

    public async Task<string> UploadPartAsync(string key, string uploadId, int partNumber, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        return await Guard("storing a part of", key, async () =>
        {
            // A read-only view of the caller's buffer: no copy of the part is made.
            using var body = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(data, out var segment)
                ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
                : new MemoryStream(data.ToArray(), writable: false);
            var response = await _s3.UploadPartAsync(new UploadPartRequest
            {
                BucketName = _options.Bucket,
                Key = key,
                UploadId = uploadId,
                PartNumber = partNumber,
                PartSize = data.Length,
                InputStream = body,
            }, ct);
            return response.ETag;
        });
    }

    public async Task<IReadOnlyList<StoredPart>?> ListPartsAsync(string key, string uploadId, CancellationToken ct)
    {
        return await Guard("listing the parts of", key, async () =>
        {
            var parts = new List<StoredPart>();
            var request = new ListPartsRequest { BucketName = _options.Bucket, Key = key, UploadId = uploadId };
            try
            {
                while (true)
                {
                    var page = await _s3.ListPartsAsync(request, ct);
                    if (page.Parts is not null)
                        parts.AddRange(page.Parts.Select(p => new StoredPart(p.PartNumber ?? 0, p.ETag ?? "", p.Size ?? 0)));
                    var next = page.NextPartNumberMarker?.ToString();
                    if (page.IsTruncated != true || string.IsNullOrEmpty(next) || next == request.PartNumberMarker) break;
                    request.PartNumberMarker = next;
                }
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return null; // NoSuchUpload: completed or aborted meanwhile
            }
            return (IReadOnlyList<StoredPart>?)parts;
        });
    }

    public async Task AbortMultipartAsync(string key, string uploadId, CancellationToken ct)
    {
        await Guard("aborting the upload of", key, async () =>
        {
            try
            {
                await _s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest
                {
                    BucketName = _options.Bucket,
                    Key = key,
                    UploadId = uploadId,
                }, ct);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                // Already completed or aborted: aborting is idempotent for us.
            }
            catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented)
            {
                // The local S3 server has no AbortMultipartUpload; real S3 and MinIO do (and a bucket
                // lifecycle rule should back this up there). Nothing else depends on the parts being gone.
                _log.LogWarning("Storage cannot abort multipart upload {UploadId} of {Key}: {Message}", uploadId, key, e.Message);
            }
        });
    }

    public async Task<long?> GetSizeAsync(string key, CancellationToken ct) => (await HeadAsync(key, ct))?.Size;

    public async Task<StoredObject?> HeadAsync(string key, CancellationToken ct)
    {
        return await Guard("reading", key, async () =>
        {
            try
            {
                var meta = await _s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _options.Bucket, Key = key }, ct);
                return new StoredObject(meta.ContentLength, meta.ETag);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        });
    }

    /// <summary>
    /// If-Match makes storage refuse (412) a replaced object; the ETag of every response is compared as well,
    /// because a server that ignores conditional headers would otherwise hand over the new bytes silently.
    /// </summary>
    private async Task<GetObjectResponse> GetVersionAsync(GetObjectRequest request, string? expectedETag, CancellationToken ct)
    {
        if (expectedETag is not null) request.EtagToMatch = expectedETag;
        GetObjectResponse response;
        try
        {
            response = await _s3.GetObjectAsync(request, ct);
        }
        catch (AmazonS3Exception e) when (expectedETag is not null && e.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            throw new SourceChangedException(request.Key, expectedETag, null);
        }
        if (expectedETag is not null && !SameETag(response.ETag, expectedETag))
        {
            response.Dispose();
            throw new SourceChangedException(request.Key, expectedETag, response.ETag);
        }
        return response;
    }

    private static bool SameETag(string? a, string b) => a is not null && string.Equals(a.Trim('"'), b.Trim('"'), StringComparison.Ordinal);

    /// <summary>
    /// Objects larger than <see cref="StorageOptions.DownloadChunkBytes"/> come down as byte ranges,
    /// <see cref="StorageOptions.DownloadConcurrency"/> at a time, each written at its offset: one GET stream
    /// is limited by one connection (and by the one process serving it on a local server), and the download
    /// sits between "upload complete" and the transcode starting. Streamed, never held in memory.
    /// </summary>
    public Task DownloadToFileAsync(string key, string path, CancellationToken ct) => DownloadToFileAsync(key, path, null, ct);

    public async Task DownloadToFileAsync(string key, string path, string? expectedETag, CancellationToken ct)
    {
        await Guard("downloading", key, async () =>
        {
            var chunk = Math.Max(1L << 20, _options.DownloadChunkBytes);
            var head = await HeadAsync(key, ct);
            if (head is not null && expectedETag is not null && !SameETag(head.ETag, expectedETag))
                throw new SourceChangedException(key, expectedETag, head.ETag);
            var size = head?.Size;
            if (size is null || size <= chunk || _options.DownloadConcurrency <= 1)
            {
                // Small, or gone (the GET then fails exactly as a whole-object download would).
                using var response = await GetVersionAsync(new GetObjectRequest { BucketName = _options.Bucket, Key = key }, expectedETag, ct);
                await using var source = response.ResponseStream;
                await using var target = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                await source.CopyToAsync(target, 1 << 20, ct);
                return;
            }

            using var file = File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.None, FileOptions.Asynchronous, preallocationSize: size.Value);
            var ranges = Enumerable.Range(0, (int)((size.Value + chunk - 1) / chunk)).Select(i => (Start: i * chunk, End: Math.Min(size.Value, (i + 1) * chunk) - 1));
            await Parallel.ForEachAsync(ranges, new ParallelOptions { MaxDegreeOfParallelism = _options.DownloadConcurrency, CancellationToken = ct }, async (range, token) =>
            {
                using var response = await GetVersionAsync(new GetObjectRequest
                {
                    BucketName = _options.Bucket,
                    Key = key,
                    ByteRange = new ByteRange(range.Start, range.End),
                }, expectedETag ?? head!.ETag, token);
                await using var source = response.ResponseStream;
                // Pooled: a fresh 1 MiB array per range is large-object-heap garbage, 64 of them for a 1 GB source.
                var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
                var offset = range.Start;
                try
                {
                    int read;
                    while ((read = await source.ReadAsync(buffer, token)) > 0)
                    {
                        if (offset + read > range.End + 1) throw new IOException($"storage sent more than the requested range {range.Start}-{range.End} of {key}");
                        await RandomAccess.WriteAsync(file, buffer.AsMemory(0, read), offset, token);
                        offset += read;
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                if (offset != range.End + 1) throw new IOException($"storage sent {offset - range.Start} of {range.End - range.Start + 1} bytes of range {range.Start}-{range.End} of {key}");
            });
        });
    }

    public async Task UploadFileAsync(string key, string path, string contentType, string? cacheControl, CancellationToken ct)
    {
        await Guard("storing", key, async () =>
        {
            var request = new PutObjectRequest
            {
                BucketName = _options.Bucket,
                Key = key,
                FilePath = path,
                ContentType = contentType,
                // The SDK's default streaming upload stores "Content-Encoding: aws-chunked" on the object on servers that
                // keep the header verbatim, and players and CDNs then see an encoding that is not there.
                UseChunkEncoding = false,
            };
            if (cacheControl is not null) request.Headers.CacheControl = cacheControl;
            await _s3.PutObjectAsync(request, ct);
        });
    }

    public async Task UploadTextAsync(string key, string text, string contentType, string? cacheControl, CancellationToken ct)
    {
        var request = new PutObjectRequest
        {
            BucketName = _options.Bucket,
            Key = key,
            InputStream = new MemoryStream(new System.Text.UTF8Encoding(false).GetBytes(text)),
            ContentType = contentType,
            UseChunkEncoding = false,
        };
        if (cacheControl is not null) request.Headers.CacheControl = cacheControl;
        await _s3.PutObjectAsync(request, ct);
    }

    public async Task<string?> ReadTextAsync(string key, CancellationToken ct)
    {
        try
        {
            using var response = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = _options.Bucket, Key = key }, ct);
            using var reader = new StreamReader(response.ResponseStream, System.Text.Encoding.UTF8);
            return await reader.ReadToEndAsync(ct);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<StoredStream?> OpenReadAsync(string key, string? range, CancellationToken ct)
    {
        return await Guard("reading", key, async () =>
        {
            var request = new GetObjectRequest { BucketName = _options.Bucket, Key = key };
            if (range is not null && ParseRange(range) is { } r) request.ByteRange = r;
            try
            {
                var response = await _s3.GetObjectAsync(request, ct);
                var contentRange = response.HttpStatusCode == HttpStatusCode.PartialContent ? response.ContentRange : null;
                return new StoredStream(response.ResponseStream, response.ContentLength, response.Headers.ContentType,
                    response.Headers.CacheControl, response.ETag, contentRange, response);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        });
    }

    /// <summary>"bytes=a-b" or "bytes=a-" (a single range); anything else is served whole, as HTTP allows.</summary>
    private static ByteRange? ParseRange(string header)
    {
        if (!header.StartsWith("bytes=", StringComparison.Ordinal) || header.Contains(',')) return null;
        var spec = header["bytes=".Length..].Split('-');
        if (spec.Length != 2 || !long.TryParse(spec[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var start)) return null;
        if (spec[1].Length == 0) return new ByteRange($"bytes={start}-");
        return long.TryParse(spec[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var end) && end >= start
            ? new ByteRange(start, end) : null;
    }

    public async Task CopyAsync(string sourceKey, string destinationKey, CancellationToken ct)
    {
        await Guard("copying", sourceKey, () => _s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = _options.Bucket, SourceKey = sourceKey, DestinationBucket = _options.Bucket, DestinationKey = destinationKey,
            MetadataDirective = S3MetadataDirective.COPY,
        }, ct));
    }

    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        await Guard("deleting", key, async () =>
        {
            try
            {
                await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _options.Bucket, Key = key }, ct);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
            }
        });
    }

    public async Task<int> DeletePrefixAsync(string prefix, CancellationToken ct)
    {
        var keys = await ListKeysAsync(prefix, ct);
        // Individual deletes: the local S3 server's multi-object delete is not relied upon.
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = _options.UploadConcurrency, CancellationToken = ct },
            async (key, token) => await DeleteAsync(key, token));
        return keys.Count;
    }

    public async Task<IReadOnlyList<string>> ListKeysAsync(string prefix, CancellationToken ct)
    {
        return await Guard("listing", prefix, async () =>
        {
            var keys = new List<string>();
            var request = new ListObjectsV2Request { BucketName = _options.Bucket, Prefix = prefix };
            while (true)
            {
                var page = await _s3.ListObjectsV2Async(request, ct);
                if (page.S3Objects is not null) keys.AddRange(page.S3Objects.Select(o => o.Key));
                if (page.IsTruncated != true || string.IsNullOrEmpty(page.NextContinuationToken)) break;
                request.ContinuationToken = page.NextContinuationToken;
            }
            return keys;
        });
    }

    public Task PingAsync(CancellationToken ct) =>
        Guard($"reaching bucket '{_options.Bucket}'", null, () => _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _options.Bucket, MaxKeys = 1 }, ct));

    private static Task Guard(string operation, string? key, Func<Task> call) =>
        Guard(operation, key, async () => { await call(); return true; });

    /// <summary>Runs one storage call and turns the client's failures into <see cref="StorageException"/>.</summary>
    private static async Task<T> Guard<T>(string operation, string? key, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (AmazonServiceException e)
        {
            var failure = e switch
            {
                { ErrorCode: "NoSuchBucket" } => StorageFailure.BucketMissing,
                // Only the bucket-level call (no key) can mean the bucket by a bare 404.
                { StatusCode: HttpStatusCode.NotFound } when key is null => StorageFailure.BucketMissing,
                { StatusCode: HttpStatusCode.NotFound } => StorageFailure.NotFound,
                { StatusCode: HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized } => StorageFailure.AccessDenied,
                { StatusCode: >= HttpStatusCode.InternalServerError } or { StatusCode: 0 } => StorageFailure.Unavailable,
                { InnerException: HttpRequestException or System.Net.Sockets.SocketException or HttpIOException } => StorageFailure.Unavailable,
                _ => StorageFailure.Refused,
            };
            throw new StorageException(failure, operation, key, e.ErrorCode, e.Message, e);
        }
        // Network failures only: an IOException of the local disk (full, say) is not the storage's fault.
        catch (Exception e) when (e is AmazonClientException or HttpRequestException or System.Net.Sockets.SocketException or HttpIOException)
        {
            throw new StorageException(StorageFailure.Unavailable, operation, key, null, e.Message, e);
        }
    }

    public void Dispose()
    {
        if (_uploadSigner != _s3) _uploadSigner.Dispose();
        _s3.Dispose();
    }
}

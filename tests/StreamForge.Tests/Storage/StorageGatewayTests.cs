using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StreamForge.Core.Storage;

namespace StreamForge.Tests.Storage;

[Collection(StackCollection.Name)]
public sealed class StorageGatewayTests(StackFixture stack) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sf-gateway-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(5 * 1024 * 1024 + 123, 4)] // six ranges, the last one short, four at a time
    [InlineData(3 * 1024 * 1024, 8)]       // exactly three ranges, fewer than the concurrency
    [InlineData(700 * 1024, 4)]            // below one range: a single GET
    [InlineData(2 * 1024 * 1024, 1)]       // ranges turned off
    public async Task Downloads_are_byte_identical_whether_ranged_or_not(int size, int concurrency)
    {
        using var gateway = Gateway(chunkBytes: 1 << 20, concurrency);
        var bytes = RandomNumberGenerator.GetBytes(size);
        var local = Path.Combine(_dir, "source");
        await File.WriteAllBytesAsync(local, bytes);
        var key = $"raw/gateway-test-{Guid.NewGuid():N}/source";
        await gateway.UploadFileAsync(key, local, "application/octet-stream", "public, max-age=10", default);

        var downloaded = Path.Combine(_dir, "downloaded");
        await gateway.DownloadToFileAsync(key, downloaded, default);

        Assert.Equal(size, new FileInfo(downloaded).Length);
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(await File.ReadAllBytesAsync(downloaded)));
        await gateway.DeleteAsync(key, default);
    }

    [Fact]
    public async Task Downloading_a_missing_object_fails_with_not_found()
    {
        using var gateway = Gateway(chunkBytes: 1 << 20, concurrency: 4);
        var target = Path.Combine(_dir, "missing");
        var key = $"raw/{Guid.NewGuid():N}/source";
        var error = await Assert.ThrowsAsync<StorageException>(() => gateway.DownloadToFileAsync(key, target, default));
        Assert.Equal(StorageFailure.NotFound, error.Failure);
        Assert.Contains(key, error.Message);
    }

    private S3StorageGateway Gateway(long chunkBytes, int concurrency) => new(
        Options.Create(new StorageOptions
        {
            ServiceUrl = stack.S3Endpoint,
            Bucket = stack.Bucket,
            AccessKey = stack.Env["Storage__AccessKey"],
            SecretKey = stack.Env["Storage__SecretKey"],
            DownloadChunkBytes = chunkBytes,
            DownloadConcurrency = concurrency,
        }),
        NullLogger<S3StorageGateway>.Instance);
}

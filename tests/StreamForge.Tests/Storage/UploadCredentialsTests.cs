using System.Net;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StreamForge.Core.Storage;

namespace StreamForge.Tests.Storage;

/// <summary>
/// Presigned upload URLs carry the powers of the key that signed them for their whole lifetime, so they are signed with
/// the upload key pair, which storage lets only PutObject/UploadPart under raw/. The local S3 server holds that pair to
/// the same policy (scripts/lib/s3rver-keys.mjs), so these checks run against a real server.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class UploadCredentialsTests(StackFixture stack)
{
    private string UploadKey => stack.Env["Storage__UploadAccessKey"];

    [Fact]
    public async Task Single_put_and_part_urls_are_signed_with_the_upload_key_and_storage_accepts_them()
    {
        using var gateway = Gateway(withUploadKeys: true);
        var bytes = RandomNumberGenerator.GetBytes(4096);
        var key = $"raw/{Guid.NewGuid():D}/source";
        var url = gateway.PresignPut(key, TimeSpan.FromMinutes(5), bytes.Length);
        Assert.Equal(UploadKey, SignerOf(url));
        await TestApi.PutToStorageAsync(stack.Storage, url, bytes);
        Assert.Equal(bytes.Length, await gateway.GetSizeAsync(key, default));

        var partKey = $"raw/{Guid.NewGuid():D}/source";
        var uploadId = await gateway.StartMultipartAsync(partKey, "video/mp4", default);
        var partUrl = gateway.PresignUploadPart(partKey, uploadId, 1, TimeSpan.FromMinutes(5));
        Assert.Equal(UploadKey, SignerOf(partUrl));
        var etag = await TestApi.PutToStorageAsync(stack.Storage, partUrl, bytes);
        Assert.Equal(MultipartCompletion.Completed, await gateway.CompleteMultipartAsync(partKey, uploadId, [new CompletedPart(1, etag)], default));
        Assert.Equal(bytes.Length, await gateway.GetSizeAsync(partKey, default));

        // Reading stays with the main keys: a download link is never signed by the upload pair.
        Assert.NotEqual(UploadKey, SignerOf(gateway.PresignGet(key, TimeSpan.FromMinutes(1))));
    }

    [Fact]
    public void Without_upload_keys_the_main_keys_sign_uploads()
    {
        using var gateway = Gateway(withUploadKeys: false);
        Assert.Equal(stack.Env["Storage__AccessKey"], SignerOf(gateway.PresignPut($"raw/{Guid.NewGuid():D}/source", TimeSpan.FromMinutes(1), 10)));
    }

    [Fact]
    public async Task The_upload_key_cannot_read_copy_list_delete_or_write_outside_raw()
    {
        using var main = Client(stack.Env["Storage__AccessKey"], stack.Env["Storage__SecretKey"]);
        using var upload = Client(UploadKey, stack.Env["Storage__UploadSecretKey"]);
        var key = $"raw/{Guid.NewGuid():D}/source";
        await main.PutObjectAsync(new PutObjectRequest { BucketName = stack.Bucket, Key = key, ContentBody = "uploaded source", UseChunkEncoding = false });

        // What it is for: writing a source.
        var own = await upload.PutObjectAsync(new PutObjectRequest { BucketName = stack.Bucket, Key = $"raw/{Guid.NewGuid():D}/source", ContentBody = "x", UseChunkEncoding = false });
        Assert.Equal(HttpStatusCode.OK, own.HttpStatusCode);

        await AssertDenied(() => upload.GetObjectAsync(stack.Bucket, key));
        await AssertDenied(() => upload.GetObjectMetadataAsync(stack.Bucket, key));
        await AssertDenied(() => upload.CopyObjectAsync(stack.Bucket, key, stack.Bucket, $"raw/{Guid.NewGuid():D}/source"));
        await AssertDenied(() => upload.ListObjectsV2Async(new ListObjectsV2Request { BucketName = stack.Bucket, Prefix = "raw/" }));
        await AssertDenied(() => upload.DeleteObjectAsync(stack.Bucket, key));
        await AssertDenied(() => upload.PutObjectAsync(new PutObjectRequest { BucketName = stack.Bucket, Key = $"media/{Guid.NewGuid():D}/v1/manifest.json", ContentBody = "{}", UseChunkEncoding = false }));
        await AssertDenied(() => upload.InitiateMultipartUploadAsync(stack.Bucket, $"media/{Guid.NewGuid():D}/v1/video.mp4"));

        // A presigned GET made with the upload key is refused too; the same GET with the main key works.
        using var uploadGet = await stack.Storage.GetAsync(upload.GetPreSignedURL(GetRequest(key)));
        Assert.Equal(HttpStatusCode.Forbidden, uploadGet.StatusCode);
        using var mainGet = await stack.Storage.GetAsync(main.GetPreSignedURL(GetRequest(key)));
        Assert.Equal(HttpStatusCode.OK, mainGet.StatusCode);
        Assert.Equal("uploaded source", await mainGet.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_put_url_cannot_be_turned_into_a_copy_of_someone_elses_source()
    {
        using var main = Client(stack.Env["Storage__AccessKey"], stack.Env["Storage__SecretKey"]);
        var victim = $"raw/{Guid.NewGuid():D}/source";
        await main.PutObjectAsync(new PutObjectRequest { BucketName = stack.Bucket, Key = victim, ContentBody = "someone else's private video", UseChunkEncoding = false });

        // The header is not part of the signature: storage that does not insist on signed x-amz-* headers (the local
        // server does not) turns the PUT into a server-side copy, which only a key that may read can do.
        async Task<HttpStatusCode> CopyThrough(string url)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent([]) };
            request.Headers.Add("x-amz-copy-source", $"/{stack.Bucket}/{victim}");
            using var response = await stack.Storage.SendAsync(request);
            return response.StatusCode;
        }

        using (var gateway = Gateway(withUploadKeys: true))
        {
            var target = $"raw/{Guid.NewGuid():D}/source";
            Assert.Equal(HttpStatusCode.Forbidden, await CopyThrough(gateway.PresignPut(target, TimeSpan.FromMinutes(5))));
            Assert.Null(await gateway.GetSizeAsync(target, default));
        }
        using (var gateway = Gateway(withUploadKeys: false))
        {
            // What the upload key prevents: signed with the main key, the same URL copies the victim's bytes.
            var target = $"raw/{Guid.NewGuid():D}/source";
            Assert.Equal(HttpStatusCode.OK, await CopyThrough(gateway.PresignPut(target, TimeSpan.FromMinutes(5))));
            Assert.Equal("someone else's private video".Length, await gateway.GetSizeAsync(target, default));
        }
    }

    private GetPreSignedUrlRequest GetRequest(string key) =>
        new() { BucketName = stack.Bucket, Key = key, Verb = HttpVerb.GET, Expires = DateTime.UtcNow.AddMinutes(1), Protocol = Protocol.HTTP };

    [Fact]
    public async Task Anonymous_requests_read_objects_but_cannot_list_write_or_delete()
    {
        using var main = Client(stack.Env["Storage__AccessKey"], stack.Env["Storage__SecretKey"]);
        var bytes = RandomNumberGenerator.GetBytes(512);
        var key = $"media/{Guid.NewGuid():D}/v1/anonymous.bin";
        await main.PutObjectAsync(new PutObjectRequest { BucketName = stack.Bucket, Key = key, InputStream = new MemoryStream(bytes) });
        var bucketUrl = $"{stack.S3Endpoint}/{stack.Bucket}";

        using (var read = await stack.Storage.GetAsync($"{bucketUrl}/{key}"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal(bytes, await read.Content.ReadAsByteArrayAsync());
        }
        foreach (var listing in new[] { bucketUrl, $"{bucketUrl}/", $"{bucketUrl}?list-type=2&prefix=media/", $"{stack.S3Endpoint}/" })
        {
            using var response = await stack.Storage.GetAsync(listing);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"GET {listing}: {(int)response.StatusCode}");
        }
        using (var put = await stack.Storage.PutAsync($"{bucketUrl}/media/{Guid.NewGuid():D}/planted", new ByteArrayContent([1, 2, 3])))
            Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        using (var start = await stack.Storage.PostAsync($"{bucketUrl}/raw/{Guid.NewGuid():D}/source?uploads", null))
            Assert.Equal(HttpStatusCode.Forbidden, start.StatusCode);
        using (var delete = await stack.Storage.DeleteAsync($"{bucketUrl}/{key}"))
            Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Equal(bytes.Length, (await main.GetObjectMetadataAsync(stack.Bucket, key)).ContentLength);
    }

    private static async Task AssertDenied(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(call);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
    }

    private static string SignerOf(string url)
    {
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(url).Query);
        return query["X-Amz-Credential"]!.Split('/')[0];
    }

    private AmazonS3Client Client(string accessKey, string secretKey) => new(new BasicAWSCredentials(accessKey, secretKey), new AmazonS3Config
    {
        ServiceURL = stack.S3Endpoint,
        ForcePathStyle = true,
        AuthenticationRegion = stack.Env.GetValueOrDefault("Storage__Region", "us-east-1"),
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        MaxErrorRetry = 0,
    });

    private S3StorageGateway Gateway(bool withUploadKeys) => new(
        Options.Create(new StorageOptions
        {
            ServiceUrl = stack.S3Endpoint,
            Bucket = stack.Bucket,
            AccessKey = stack.Env["Storage__AccessKey"],
            SecretKey = stack.Env["Storage__SecretKey"],
            UploadAccessKey = withUploadKeys ? stack.Env["Storage__UploadAccessKey"] : "",
            UploadSecretKey = withUploadKeys ? stack.Env["Storage__UploadSecretKey"] : "",
        }),
        NullLogger<S3StorageGateway>.Instance);
}

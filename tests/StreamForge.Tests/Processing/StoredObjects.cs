using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace StreamForge.Tests.Processing;

/// <summary>What the bucket holds under a prefix, with what proves an object was (not) rewritten: ETag and LastModified.</summary>
internal static class StoredObjects
{
    public sealed record Stored(string ETag, DateTime? LastModified, long? Size);

    public static async Task<Dictionary<string, Stored>> ListAsync(StackFixture stack, string prefix)
    {
        using var s3 = new AmazonS3Client(new BasicAWSCredentials(stack.Env["Storage__AccessKey"], stack.Env["Storage__SecretKey"]),
            new AmazonS3Config { ServiceURL = stack.S3Endpoint, ForcePathStyle = true, AuthenticationRegion = stack.Env.GetValueOrDefault("Storage__Region", "us-east-1") });
        var result = new Dictionary<string, Stored>();
        var request = new ListObjectsV2Request { BucketName = stack.Bucket, Prefix = prefix };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request);
            foreach (var o in page.S3Objects ?? []) result[o.Key] = new Stored(o.ETag, o.LastModified, o.Size);
            request.ContinuationToken = page.NextContinuationToken;
        } while (page.IsTruncated == true);
        return result;
    }

    /// <summary>The object's anonymous URL on the S3 server itself (no CDN in between).</summary>
    public static string OriginUrl(StackFixture stack, string key) => $"{stack.Env["Storage__PublicBaseUrl"].TrimEnd('/')}/{key}";

    /// <summary>The object's URL through the CDN, when one runs.</summary>
    public static string? CdnUrl(StackFixture stack, string key) => stack.CdnUrl is { } cdn ? $"{cdn.TrimEnd('/')}/{key}" : null;
}

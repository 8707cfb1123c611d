using System.Security.Cryptography;
using StreamForge.Core.Storage;

namespace StreamForge.Tests.Uploads;

[Collection(StackCollection.Name)]
public sealed class UploadFlowTests(StackFixture stack)
{
    private readonly ApiFactory _api = stack.Api;
    private readonly HttpClient _storage = stack.Storage;

    [Fact]
    public async Task Multipart_upload_survives_an_interruption_and_resumes_from_the_server_state()
    {
        var client = await _api.RegisterAsync();
        var source = RandomNumberGenerator.GetBytes(30 * 1000 * 1000);
        var created = await client.CreateUploadAsync(source.Length);
        Assert.Equal("multipart", created.GetProperty("mode").GetString());
        var videoId = created.GetProperty("videoId").GetGuid();
        var partSize = created.GetProperty("partSize").GetInt64();
        var partCount = created.GetProperty("partCount").GetInt32();
        Assert.Equal((int)Math.Ceiling(source.Length / (double)partSize), partCount);

        // First session: send two parts, then "lose the network".
        foreach (var signed in await client.SignAsync(videoId, 1, 2))
            await SendPartAsync(client, videoId, signed, source, partSize);

        // Resume: a fresh client asks the server what is done and sends only the rest.
        var status = await (await client.GetAsync($"/api/v1/uploads/{videoId}")).ReadJsonAsync();
        Assert.Equal("active", status.GetProperty("state").GetString());
        var done = status.GetProperty("parts").EnumerateArray().Select(p => p.GetProperty("partNumber").GetInt32()).ToHashSet();
        Assert.Equal([1, 2], done.Order());
        Assert.All(status.GetProperty("parts").EnumerateArray(), p => Assert.StartsWith("\"", p.GetProperty("etag").GetString()));
        var remaining = Enumerable.Range(1, partCount).Where(n => !done.Contains(n)).ToArray();
        foreach (var signed in await client.SignAsync(videoId, remaining))
            await SendPartAsync(client, videoId, signed, source, partSize);

        var complete = await client.PostAsync($"/api/v1/uploads/{videoId}/complete", null);
        Assert.Equal(HttpStatusCode.Accepted, complete.StatusCode);
        Assert.Equal("processing", (await complete.ReadJsonAsync()).GetProperty("status").GetString());
        // Idempotent: a second complete answers the same.
        var again = await client.PostAsync($"/api/v1/uploads/{videoId}/complete", null);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);

        Assert.Equal(Convert.ToHexString(SHA256.HashData(source)), await StoredHashAsync(videoId));
        var video = await (await client.GetAsync($"/api/v1/videos/{videoId}")).ReadJsonAsync();
        Assert.Equal(source.Length, video.GetProperty("sizeBytes").GetInt64());
        var me = await (await client.GetAsync("/api/v1/me")).ReadJsonAsync();
        Assert.Equal(source.Length, me.GetProperty("storageUsedBytes").GetInt64());
    }

    [Fact]
    public async Task A_part_stored_but_never_recorded_counts_on_resume_and_one_of_the_wrong_size_does_not()
    {
        var client = await _api.RegisterAsync();
        var source = RandomNumberGenerator.GetBytes(30 * 1000 * 1000);
        var created = await client.CreateUploadAsync(source.Length);
        var videoId = created.GetProperty("videoId").GetGuid();
        var partSize = created.GetProperty("partSize").GetInt64();
        var partCount = created.GetProperty("partCount").GetInt32();
        Assert.True(partCount >= 3, $"{partCount} parts");
        var signed = await client.SignAsync(videoId, 1, 2, 3);

        // Part 1 is sent and recorded. Part 2 reached storage, but the page died before recording it (a reload
        // between the PUT's answer and the record call). Part 3 was cut short: storage holds a shorter part.
        await SendPartAsync(client, videoId, signed[0], source, partSize);
        var part2 = await TestApi.PutToStorageAsync(_storage, signed[1].GetProperty("url").GetString()!, source.AsMemory((int)partSize, (int)partSize));
        await TestApi.PutToStorageAsync(_storage, signed[2].GetProperty("url").GetString()!, source.AsMemory((int)(2 * partSize), 1000));

        var status = await (await client.GetAsync($"/api/v1/uploads/{videoId}")).ReadJsonAsync();
        var parts = status.GetProperty("parts").EnumerateArray()
            .ToDictionary(p => p.GetProperty("partNumber").GetInt32(), p => (Etag: p.GetProperty("etag").GetString(), Size: p.GetProperty("size").GetInt64()));
        Assert.Equal([1, 2], parts.Keys.Order());
        Assert.Equal((part2, partSize), parts[2]);

        // The resumed client sends only the rest, and the object assembles from storage's ETag for part 2.
        foreach (var rest in await client.SignAsync(videoId, Enumerable.Range(3, partCount - 2).ToArray()))
            await SendPartAsync(client, videoId, rest, source, partSize);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/v1/uploads/{videoId}/complete", null)).StatusCode);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(source)), await StoredHashAsync(videoId));
    }

    [Fact]
    public async Task Single_put_upload_completes_and_the_storage_refuses_tampered_and_expired_urls()
    {
        var client = await _api.RegisterAsync();
        var source = RandomNumberGenerator.GetBytes(200_000);
        var created = await client.CreateUploadAsync(source.Length);
        Assert.Equal("single", created.GetProperty("mode").GetString());
        var url = created.GetProperty("url").GetString()!;
        var videoId = created.GetProperty("videoId").GetGuid();

        // Tampered: change the object key inside the signed URL.
        var tampered = url.Replace("/source?", "/other?");
        using (var response = await _storage.PutAsync(tampered, new ByteArrayContent(source)))
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var badSignature = url.Replace("X-Amz-Signature=", "X-Amz-Signature=0");
        using (var response = await _storage.PutAsync(badSignature, new ByteArrayContent(source)))
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        await TestApi.PutToStorageAsync(_storage, url, source);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/v1/uploads/{videoId}/complete", null)).StatusCode);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(source)), await StoredHashAsync(videoId));
    }

    [Fact]
    public async Task A_single_put_is_recorded_like_a_part_as_the_browser_does_and_resumes_from_it()
    {
        var client = await _api.RegisterAsync();
        var source = new byte[4000];
        Random.Shared.NextBytes(source);
        var created = await client.CreateUploadAsync(source.Length);
        var videoId = created.GetProperty("videoId").GetGuid();
        Assert.Equal("single", created.GetProperty("mode").GetString());
        var etag = await TestApi.PutToStorageAsync(_storage, created.GetProperty("url").GetString()!, source);

        var recorded = await client.PutAsJsonAsync($"/api/v1/uploads/{videoId}/parts/1", new { etag, size = source.Length });
        Assert.Equal(HttpStatusCode.NoContent, recorded.StatusCode);
        var status = await (await client.GetAsync($"/api/v1/uploads/{videoId}")).ReadJsonAsync();
        Assert.Equal(etag, status.GetProperty("parts")[0].GetProperty("etag").GetString());
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/v1/uploads/{videoId}/complete", null)).StatusCode);
    }

    [Fact]
    public async Task Expired_presigned_urls_are_refused_by_the_storage()
    {
        await using var shortLived = stack.NewApi(new Dictionary<string, string> { ["Uploads:PresignedUrlLifetime"] = "00:00:01", ["Uploads:SinglePutUrlLifetime"] = "00:00:01" });
        var client = await shortLived.RegisterAsync();
        var created = await client.CreateUploadAsync(1000);
        var url = created.GetProperty("url").GetString()!;
        // The configured one-second lifetime: the SDK turns what is left of it into whole seconds, rounding either way.
        Assert.Matches(@"[?&]X-Amz-Expires=[0-2](&|$)", url);
        // The storage judges expiry by its own clock, so the test waits for that moment instead of guessing it.
        var last = "";
        await Eventually.HoldsAsync(async () =>
        {
            using var response = await _storage.PutAsync(url, new ByteArrayContent(new byte[1000]));
            last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            if (response.IsSuccessStatusCode) return false;
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            return true;
        }, TimeSpan.FromSeconds(15), () => $"the storage still accepts the URL: {last}");
        Assert.Contains("expired", last, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Abort_releases_the_quota_and_the_upload()
    {
        var client = await _api.RegisterAsync();
        var created = await client.CreateUploadAsync(20_000_000);
        var videoId = created.GetProperty("videoId").GetGuid();
        Assert.Equal(20_000_000, (await (await client.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("storageUsedBytes").GetInt64());
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/uploads/{videoId}")).StatusCode);
        Assert.Equal(0, (await (await client.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("storageUsedBytes").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/uploads/{videoId}")).StatusCode);
    }

    [Fact]
    public async Task A_recorded_etag_that_does_not_match_the_stored_part_is_refused_until_the_part_is_sent_again()
    {
        var client = await _api.RegisterAsync();
        var source = RandomNumberGenerator.GetBytes(12_000_000);
        var created = await client.CreateUploadAsync(source.Length);
        var videoId = created.GetProperty("videoId").GetGuid();
        var partSize = created.GetProperty("partSize").GetInt64();
        var partCount = created.GetProperty("partCount").GetInt32();
        foreach (var signed in await client.SignAsync(videoId, Enumerable.Range(1, partCount).ToArray()))
            await SendPartAsync(client, videoId, signed, source, partSize);

        // A client that recorded the wrong ETag (a bug, or a part overwritten after it was recorded).
        var wrong = await client.PutAsJsonAsync($"/api/v1/uploads/{videoId}/parts/2", new { etag = "\"00000000000000000000000000000000\"", size = partSize });
        Assert.Equal(HttpStatusCode.NoContent, wrong.StatusCode);
        var refused = await client.PostAsync($"/api/v1/uploads/{videoId}/complete", null);
        Assert.Contains("does not match", await refused.AssertProblemAsync(HttpStatusCode.Conflict));
        Assert.Equal("active", (await (await client.GetAsync($"/api/v1/uploads/{videoId}")).ReadJsonAsync()).GetProperty("state").GetString());

        foreach (var signed in await client.SignAsync(videoId, 2))
            await SendPartAsync(client, videoId, signed, source, partSize);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/v1/uploads/{videoId}/complete", null)).StatusCode);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(source)), await StoredHashAsync(videoId));

        // The assembled object carries S3's multipart ETag: MD5 of the parts' MD5s, then "-" and the part count.
        using var head = await _storage.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{stack.S3Endpoint}/{stack.Bucket}/{StorageKeys.Source(videoId)}"));
        var partMd5s = Enumerable.Range(0, partCount)
            .SelectMany(i => MD5.HashData(source.AsSpan((int)(i * partSize), (int)Math.Min(partSize, source.Length - i * partSize))))
            .ToArray();
        Assert.Equal($"\"{Convert.ToHexStringLower(MD5.HashData(partMd5s))}-{partCount}\"", head.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task Deleting_a_video_removes_its_stored_objects()
    {
        var client = await _api.RegisterAsync();
        var source = RandomNumberGenerator.GetBytes(5000);
        var created = await client.CreateUploadAsync(source.Length);
        var videoId = created.GetProperty("videoId").GetGuid();
        await TestApi.PutToStorageAsync(_storage, created.GetProperty("url").GetString()!, source);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/v1/uploads/{videoId}/complete", null)).StatusCode);
        var gateway = _api.Services.GetRequiredService<IStorageGateway>();
        Assert.NotNull(await gateway.GetSizeAsync(StorageKeys.Source(videoId), default));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/videos/{videoId}")).StatusCode);
        Assert.Null(await gateway.GetSizeAsync(StorageKeys.Source(videoId), default));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/videos/{videoId}")).StatusCode);
        Assert.Equal(0, (await (await client.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("storageUsedBytes").GetInt64());
    }

    private async Task SendPartAsync(HttpClient client, Guid videoId, JsonElement signed, byte[] source, long partSize)
    {
        var n = signed.GetProperty("partNumber").GetInt32();
        var offset = (n - 1) * partSize;
        var length = (int)Math.Min(partSize, source.Length - offset);
        var etag = await TestApi.PutToStorageAsync(_storage, signed.GetProperty("url").GetString()!, source.AsMemory((int)offset, length));
        var record = await client.PutAsJsonAsync($"/api/v1/uploads/{videoId}/parts/{n}", new { etag, size = length });
        Assert.True(record.StatusCode == HttpStatusCode.NoContent, await record.Content.ReadAsStringAsync());
    }

    private async Task<string> StoredHashAsync(Guid videoId)
    {
        // Anonymous read straight from the storage server, not through our code.
        await using var stream = await _storage.GetStreamAsync($"{stack.S3Endpoint}/{stack.Bucket}/{StorageKeys.Source(videoId)}");
        return Convert.ToHexString(await SHA256.HashDataAsync(stream));
    }
}

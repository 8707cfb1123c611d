using System.Security.Cryptography;
using StreamForge.Core.Storage;

namespace StreamForge.Tests.Uploads;

/// <summary>The worker processes exactly the object that completion measured and charged; URLs die with the upload.</summary>
[Collection(StackCollection.Name)]
public sealed class UploadIntegrityTests(StackFixture stack)
{
    private readonly ApiFactory _api = stack.Api;
    private readonly HttpClient _storage = stack.Storage;

    [Fact]
    public async Task An_object_replaced_after_completion_fails_the_job_permanently_and_publishes_nothing()
    {
        var client = await _api.RegisterAsync();
        var clip = await File.ReadAllBytesAsync(await Clips.GenerateAsync(160, 90, 1));
        var created = await client.CreateUploadAsync(clip.Length);
        Assert.Equal("single", created.GetProperty("mode").GetString());
        var videoId = created.GetProperty("videoId").GetGuid();
        var url = created.GetProperty("url").GetString()!;
        await TestApi.PutToStorageAsync(_storage, url, clip);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/v1/uploads/{videoId}/complete", null)).StatusCode);

        // No worker runs yet: overwrite with the still-valid URL (same length, other bytes).
        var replacement = RandomNumberGenerator.GetBytes(clip.Length);
        await TestApi.PutToStorageAsync(_storage, url, replacement);

        await using var worker = WorkerProcess.Start(stack, _api.ConnectionString);
        var video = await VideoFlow.WaitForFinalAsync(client, videoId, diagnostics: () => worker.Log);
        Assert.Equal("failed", video.GetProperty("status").GetString());
        Assert.Equal("The source file was replaced after the upload was completed; upload it again.", video.GetProperty("lastError").GetString());
        var runs = await TestDb.QueryAsync(_api, "SELECT outcome FROM job_runs WHERE video_id = @id ORDER BY id", videoId);
        Assert.Equal(["failed"], runs); // permanent: no retries
        var storage = _api.Services.GetRequiredService<IStorageGateway>();
        Assert.Empty(await storage.ListKeysAsync(StorageKeys.MediaPrefix(videoId), default));
    }

    [Fact]
    public async Task The_single_put_url_is_bound_to_the_declared_length()
    {
        var client = await _api.RegisterAsync();
        var created = await client.CreateUploadAsync(10_000);
        var videoId = created.GetProperty("videoId").GetGuid();
        var url = created.GetProperty("url").GetString()!;
        Assert.InRange(created.GetProperty("expiresAt").GetDateTimeOffset() - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5.1));

        using (var oversized = await _storage.PutAsync(url, new ByteArrayContent(RandomNumberGenerator.GetBytes(10_001))))
            Assert.Equal(HttpStatusCode.Forbidden, oversized.StatusCode);
        using (var undersized = await _storage.PutAsync(url, new ByteArrayContent(RandomNumberGenerator.GetBytes(9_999))))
            Assert.Equal(HttpStatusCode.Forbidden, undersized.StatusCode);
        Assert.Null(await _api.Services.GetRequiredService<IStorageGateway>().GetSizeAsync(StorageKeys.Source(videoId), default));

        var bytes = RandomNumberGenerator.GetBytes(10_000);
        await TestApi.PutToStorageAsync(_storage, url, bytes);
        var complete = await client.PostAsync($"/api/v1/uploads/{videoId}/complete", null);
        Assert.Equal(HttpStatusCode.Accepted, complete.StatusCode);
        Assert.Equal(10_000, (await complete.ReadJsonAsync()).GetProperty("sizeBytes").GetInt64());
    }

    [Fact]
    public async Task Signing_a_single_put_again_does_not_extend_the_upload()
    {
        var client = await _api.RegisterAsync();
        var created = await client.CreateUploadAsync(10_000);
        var videoId = created.GetProperty("videoId").GetGuid();
        var before = (await (await client.GetAsync($"/api/v1/uploads/{videoId}")).ReadJsonAsync()).GetProperty("expiresAt").GetDateTimeOffset();
        var signed = await client.SignAsync(videoId, 1);
        Assert.True(signed[0].GetProperty("expiresAt").GetDateTimeOffset() <= DateTimeOffset.UtcNow.AddMinutes(5.1));
        var recorded = await client.PutAsJsonAsync($"/api/v1/uploads/{videoId}/parts/1", new { etag = "\"abc\"", size = 10_000 });
        Assert.Equal(HttpStatusCode.NoContent, recorded.StatusCode);
        var after = (await (await client.GetAsync($"/api/v1/uploads/{videoId}")).ReadJsonAsync()).GetProperty("expiresAt").GetDateTimeOffset();
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task After_completion_urls_are_not_issued_and_a_replayed_part_url_cannot_change_the_object()
    {
        var client = await _api.RegisterAsync();
        var source = RandomNumberGenerator.GetBytes(6 * 1024 * 1024);
        var created = await client.CreateUploadAsync(source.Length);
        Assert.Equal("multipart", created.GetProperty("mode").GetString());
        var videoId = created.GetProperty("videoId").GetGuid();
        var partSize = (int)created.GetProperty("partSize").GetInt64();
        var signed = await client.SignAsync(videoId, 1, 2);
        foreach (var part in signed)
        {
            var n = part.GetProperty("partNumber").GetInt32();
            var slice = source.AsMemory((n - 1) * partSize, Math.Min(partSize, source.Length - (n - 1) * partSize));
            var etag = await TestApi.PutToStorageAsync(_storage, part.GetProperty("url").GetString()!, slice);
            Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsJsonAsync($"/api/v1/uploads/{videoId}/parts/{n}", new { etag, size = slice.Length })).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/v1/uploads/{videoId}/complete", null)).StatusCode);

        var again = await client.PostAsJsonAsync($"/api/v1/uploads/{videoId}/parts/sign", new { partNumbers = new[] { 1 } });
        await again.AssertProblemAsync(HttpStatusCode.Conflict);

        // S3 and MinIO answer NoSuchUpload here; the local server keeps no multipart state and stores the part
        // aside. Either way the completed object must not change (and if it did, its ETag would give it away).
        using (var replay = await _storage.PutAsync(signed[0].GetProperty("url").GetString()!, new ByteArrayContent(RandomNumberGenerator.GetBytes(partSize)))) { }
        var head = await _api.Services.GetRequiredService<IStorageGateway>().HeadAsync(StorageKeys.Source(videoId), default);
        Assert.Equal(source.Length, head!.Size);
        using var stored = await _storage.GetAsync($"{stack.S3Endpoint}/{stack.Bucket}/{StorageKeys.Source(videoId)}");
        Assert.Equal(Convert.ToHexString(SHA256.HashData(source)), Convert.ToHexString(SHA256.HashData(await stored.Content.ReadAsByteArrayAsync())));
    }

    [Fact]
    public async Task Uploads_completed_back_to_back_are_picked_up_at_once()
    {
        await using var worker = WorkerProcess.Start(stack, _api.ConnectionString);
        var client = await _api.RegisterAsync();
        var clip = await Clips.GenerateAsync(160, 90, 1, name: "pickup-160x90.mp4");
        // Warm up: the worker is running and idle before the burst.
        var warm = await VideoFlow.UploadAsync(client, clip);
        Assert.Equal("ready", (await VideoFlow.WaitForFinalAsync(client, warm, diagnostics: () => worker.Log)).GetProperty("status").GetString());
        var ids = new List<Guid>();
        for (var i = 0; i < 6; i++) ids.Add(await VideoFlow.UploadAsync(client, clip));
        foreach (var id in ids)
            Assert.Equal("ready", (await VideoFlow.WaitForFinalAsync(client, id, diagnostics: () => worker.Log)).GetProperty("status").GetString());

        // Jobs on this worker may queue behind the one before it (its finish is recorded after the next may start). Pickup is the time
        // from "runnable and the worker free" to "started": a video the worker skipped because it woke before
        // the commit would sit there until the maintenance sweep (a minute).
        var latencies = await TestDb.QueryAsync(_api, """
            SELECT greatest(0, round(extract(epoch FROM started_at - greatest(enqueued_at, coalesce(lag(finished_at) OVER (ORDER BY started_at), enqueued_at))) * 1000))::text
            FROM job_runs WHERE video_id = ANY(@ids)
            """, ids.ToArray());
        Assert.Equal(ids.Count, latencies.Count);
        Assert.All(latencies.Select(double.Parse), ms => Assert.InRange(ms, 0, 5_000));
    }
}

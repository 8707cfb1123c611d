using StreamForge.Core.Storage;
using System.Security.Cryptography;
using Npgsql;

namespace StreamForge.Tests.Uploads;

[Collection(StackCollection.Name)]
public sealed class QuotaTests(StackFixture stack)
{
    private const long Quota = 500_000_000;
    private readonly ApiFactory _api = stack.Api;
    private readonly HttpClient _storage = stack.Storage;

    [Fact]
    public async Task A_user_cannot_start_uploads_past_the_quota()
    {
        var client = await _api.RegisterAsync();
        await client.CreateUploadAsync(300_000_000);
        var second = await client.PostAsJsonAsync("/api/v1/uploads", new { fileName = "b.mp4", size = 200_000_001, contentType = "video/mp4" });
        var detail = await second.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("quota", await second.Content.ReadAsStringAsync());
        Assert.Contains("200,000,001", detail);
        // Exactly up to the quota is fine.
        await client.CreateUploadAsync(200_000_000);
        var me = await (await client.GetAsync("/api/v1/me")).ReadJsonAsync();
        Assert.Equal(Quota, me.GetProperty("storageUsedBytes").GetInt64());
        Assert.Equal(Quota, me.GetProperty("quotaBytes").GetInt64());
    }

    [Fact]
    public async Task Completing_refuses_an_object_larger_than_declared_and_discards_it_without_charging()
    {
        var client = await _api.RegisterAsync();
        var me = await (await client.GetAsync("/api/v1/me")).ReadJsonAsync();
        // The user already stores 499,990,000 bytes.
        await SetUsageAsync(me.GetProperty("id").GetGuid(), Quota - 10_000);
        var created = await client.CreateUploadAsync(5_000);
        var videoId = created.GetProperty("videoId").GetGuid();
        // The single-PUT URL pins the length, so this storage refuses more than declared...
        using (var refused = await _storage.PutAsync(created.GetProperty("url").GetString()!, new ByteArrayContent(RandomNumberGenerator.GetBytes(20_000))))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        // ...but a store that does not check signed headers would take it: completion measures and decides.
        await StoreDirectlyAsync(videoId, 20_000);

        var complete = await client.PostAsync($"/api/v1/uploads/{videoId}/complete", null);
        Assert.Contains("not the 5,000 bytes declared", await complete.AssertProblemAsync(HttpStatusCode.Conflict));
        var after = await (await client.GetAsync("/api/v1/me")).ReadJsonAsync();
        Assert.Equal(Quota - 10_000, after.GetProperty("storageUsedBytes").GetInt64());
        using var gone = await _storage.GetAsync($"{stack.S3Endpoint}/{stack.Bucket}/raw/{videoId}/source");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        var video = await (await client.GetAsync($"/api/v1/videos/{videoId}")).ReadJsonAsync();
        Assert.Equal("failed", video.GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_admin_has_no_quota()
    {
        var admin = await _api.LoginAdminAsync(stack);
        var me = await (await admin.GetAsync("/api/v1/me")).ReadJsonAsync();
        Assert.Equal("admin", me.GetProperty("role").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, me.GetProperty("quotaBytes").ValueKind);
        var created = await admin.CreateUploadAsync(2_000_000_000);
        Assert.Equal("multipart", created.GetProperty("mode").GetString());
        await admin.CreateUploadAsync(2_000_000_000);

        // Completing past 500 MB of real bytes works too.
        await SetUsageAsync(me.GetProperty("id").GetGuid(), 10_000_000_000);
        var small = await admin.CreateUploadAsync(3_000);
        await StoreDirectlyAsync(small.GetProperty("videoId").GetGuid(), 3_000);
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"/api/v1/uploads/{small.GetProperty("videoId").GetGuid()}/complete", null)).StatusCode);
    }

    /// <summary>Writes the source object behind the API's back, as a store ignoring the signed length would accept it.</summary>
    private async Task StoreDirectlyAsync(Guid videoId, int bytes)
    {
        var file = Path.GetTempFileName();
        await File.WriteAllBytesAsync(file, RandomNumberGenerator.GetBytes(bytes));
        try
        {
            await _api.Services.GetRequiredService<IStorageGateway>().UploadFileAsync(StorageKeys.Source(videoId), file, "video/mp4", null, default);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private async Task SetUsageAsync(Guid userId, long bytes)
    {
        await using var conn = new NpgsqlConnection(_api.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("UPDATE users SET storage_used_bytes = @b WHERE id = @id", conn);
        cmd.Parameters.AddWithValue("b", bytes);
        cmd.Parameters.AddWithValue("id", userId);
        Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
    }
}

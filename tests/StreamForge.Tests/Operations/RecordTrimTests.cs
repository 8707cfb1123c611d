using Npgsql;
using StreamForge.Core.Data;
using StreamForge.Core.Maintenance;

namespace StreamForge.Tests.Operations;

/// <summary>The retention trims the maintenance and webhook jobs run, against rows made through the API and aged in SQL.</summary>
[Collection(StackCollection.Name)]
public sealed class RecordTrimTests(StackFixture stack)
{
    private readonly ApiFactory _api = stack.Api;

    [Fact]
    public async Task Expired_upload_links_go_a_week_later_unless_their_upload_is_still_open()
    {
        var owner = await _api.RegisterAsync();
        var links = new Dictionary<string, Guid>();
        foreach (var name in new[] { "unused", "open-upload", "processed", "deleted-video", "recently-expired", "live" })
        {
            var created = await owner.PostAsJsonAsync("/api/v1/direct-uploads", new { title = name });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            links[name] = (await created.ReadJsonAsync()).GetProperty("id").GetGuid();
        }
        var openUpload = (await owner.CreateUploadAsync(1000)).GetProperty("videoId").GetGuid();
        var processed = await owner.CreateUploadAsync(1000);
        await TestApi.PutToStorageAsync(stack.Storage, processed.GetProperty("url").GetString()!, new byte[1000]);
        Assert.Equal(HttpStatusCode.Accepted, (await owner.PostAsync($"/api/v1/uploads/{processed.GetProperty("videoId").GetGuid()}/complete", null)).StatusCode);

        var now = DateTimeOffset.UtcNow;
        await AgeLinkAsync(links["unused"], now.AddDays(-8), videoId: null);
        await AgeLinkAsync(links["open-upload"], now.AddDays(-8), openUpload);
        await AgeLinkAsync(links["processed"], now.AddDays(-8), processed.GetProperty("videoId").GetGuid());
        await AgeLinkAsync(links["deleted-video"], now.AddDays(-8), Guid.NewGuid());
        await AgeLinkAsync(links["recently-expired"], now.AddDays(-6), videoId: null);

        await using (var scope = _api.Services.CreateAsyncScope())
        {
            var trims = new RecordTrims(scope.ServiceProvider.GetRequiredService<StreamForgeDbContext>());
            await trims.UploadLinksAsync(now.AddDays(-7), default);
        }

        var left = await TestDb.QueryAsync(_api, "SELECT title FROM direct_uploads WHERE user_id = @id ORDER BY title", await owner.UserIdAsync());
        Assert.Equal(["live", "open-upload", "recently-expired"], left);
    }

    [Fact]
    public async Task Finished_webhook_deliveries_go_after_the_retention_and_pending_ones_stay()
    {
        var owner = await _api.RegisterAsync();
        var hook = await owner.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/trim", events = new[] { "video.created" } });
        Assert.Equal(HttpStatusCode.Created, hook.StatusCode);
        var hookId = (await hook.ReadJsonAsync()).GetProperty("id").GetGuid();
        var videos = new List<Guid>();
        for (var i = 0; i < 4; i++) videos.Add((await owner.CreateUploadAsync(1000)).GetProperty("videoId").GetGuid());

        var now = DateTimeOffset.UtcNow;
        // One delivery per video: old delivered, old failed, old but still pending, recent delivered.
        await AgeDeliveryAsync(videos[0], "delivered", now.AddDays(-8));
        await AgeDeliveryAsync(videos[1], "failed", now.AddDays(-8));
        await AgeDeliveryAsync(videos[2], "pending", now.AddDays(-8));
        await AgeDeliveryAsync(videos[3], "delivered", now.AddDays(-1));

        int trimmed;
        await using (var scope = _api.Services.CreateAsyncScope())
            trimmed = await new RecordTrims(scope.ServiceProvider.GetRequiredService<StreamForgeDbContext>()).WebhookDeliveriesAsync(now.AddDays(-7), default);

        Assert.True(trimmed >= 2, $"trimmed {trimmed}");
        var left = await TestDb.QueryAsync(_api, "SELECT payload->'data'->>'id' FROM webhook_deliveries WHERE endpoint_id = @id", hookId);
        Assert.Equal(new[] { videos[2], videos[3] }.Select(v => v.ToString()).Order(), left.Order());
    }

    private async Task AgeLinkAsync(Guid id, DateTimeOffset expiresAt, Guid? videoId) =>
        await ExecuteAsync("UPDATE direct_uploads SET expires_at = @at, created_at = @at - interval '1 hour', video_id = @video WHERE id = @id",
            ("id", id), ("at", expiresAt), ("video", (object?)videoId ?? DBNull.Value));

    private async Task AgeDeliveryAsync(Guid videoId, string status, DateTimeOffset createdAt) =>
        await ExecuteAsync("UPDATE webhook_deliveries SET status = @status, created_at = @at WHERE payload->'data'->>'id' = @video",
            ("status", status), ("at", createdAt), ("video", videoId.ToString()));

    private async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var conn = new NpgsqlConnection(_api.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
    }
}

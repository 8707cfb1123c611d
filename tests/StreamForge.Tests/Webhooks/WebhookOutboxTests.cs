using Npgsql;

namespace StreamForge.Tests.Webhooks;

/// <summary>
/// Deliveries are written by the transition's own transaction (no worker runs here, so nothing is sent): they exist as
/// soon as the call that changed the video returns, and a transition that loses leaves none behind.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class WebhookOutboxTests(StackFixture stack)
{
    private readonly ApiFactory _api = stack.Api;

    [Fact]
    public async Task A_transition_commits_its_deliveries_and_a_lost_one_leaves_none()
    {
        var owner = await _api.RegisterAsync();
        var created = await owner.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/outbox", events = new[] { "video.created", "video.deleted" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var hookId = (await created.ReadJsonAsync()).GetProperty("id").GetGuid();
        var unsubscribed = await owner.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/other", events = new[] { "video.ready" } });
        Assert.Equal(HttpStatusCode.Created, unsubscribed.StatusCode);
        var otherHookId = (await unsubscribed.ReadJsonAsync()).GetProperty("id").GetGuid();

        var upload = await owner.CreateUploadAsync(1000);
        var videoId = upload.GetProperty("videoId").GetGuid();
        var rows = await DeliveriesAsync(hookId);
        var (type, payload) = Assert.Single(rows);
        Assert.Equal("video.created", type);
        using (var body = JsonDocument.Parse(payload))
        {
            Assert.Equal("video.created", body.RootElement.GetProperty("type").GetString());
            Assert.Equal(videoId, body.RootElement.GetProperty("data").GetProperty("id").GetGuid());
            Assert.Equal("pending_upload", body.RootElement.GetProperty("data").GetProperty("status").GetString());
        }

        // Completed uploads cannot be aborted: the abort's video.deleted, written before its DELETE, rolls back with it.
        await TestApi.PutToStorageAsync(stack.Storage, upload.GetProperty("url").GetString()!, new byte[1000]);
        Assert.Equal(HttpStatusCode.Accepted, (await owner.PostAsync($"/api/v1/uploads/{videoId}/complete", null)).StatusCode);
        await (await owner.DeleteAsync($"/api/v1/uploads/{videoId}")).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Single(await DeliveriesAsync(hookId));

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/v1/videos/{videoId}")).StatusCode);
        Assert.Equal(["video.created", "video.deleted"], (await DeliveriesAsync(hookId)).Select(r => r.Type));
        // An endpoint gets only the events it subscribed to.
        Assert.Empty(await DeliveriesAsync(otherHookId));
    }

    [Fact]
    public async Task An_import_announces_its_video_and_an_upload_carries_its_passthrough()
    {
        var owner = await _api.RegisterAsync();
        var created = await owner.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/outbox", events = new[] { "video.created" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var hookId = (await created.ReadJsonAsync()).GetProperty("id").GetGuid();

        // No worker runs here: the import stays uploading, but its video exists and is announced like an upload's.
        var imported = await owner.PostAsJsonAsync("/api/v1/uploads/from-url", new { url = "http://127.0.0.1:9/clip.mp4", title = "imported" });
        Assert.Equal(HttpStatusCode.Accepted, imported.StatusCode);
        var importId = (await imported.ReadJsonAsync()).GetProperty("id").GetGuid();
        var uploaded = await owner.PostAsJsonAsync("/api/v1/uploads/", new { fileName = "m.mp4", size = 1000, contentType = "video/mp4", passthrough = "order-42" });
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        var uploadId = (await uploaded.ReadJsonAsync()).GetProperty("videoId").GetGuid();

        var data = (await DeliveriesAsync(hookId)).Select(r => JsonDocument.Parse(r.Payload).RootElement.GetProperty("data")).ToList();
        Assert.Equal([importId, uploadId], data.Select(d => d.GetProperty("id").GetGuid()));
        Assert.Equal("uploading", data[0].GetProperty("status").GetString());
        Assert.Equal("order-42", data[1].GetProperty("passthrough").GetString());
    }

    private async Task<List<(string Type, string Payload)>> DeliveriesAsync(Guid hookId)
    {
        await using var conn = new NpgsqlConnection(_api.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT event_type, payload::text FROM webhook_deliveries WHERE endpoint_id = @hook ORDER BY created_at", conn);
        cmd.Parameters.AddWithValue("hook", hookId);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<(string, string)>();
        while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetString(1)));
        return rows;
    }
}

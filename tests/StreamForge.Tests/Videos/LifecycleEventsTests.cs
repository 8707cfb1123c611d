using System.Security.Cryptography;
using Npgsql;

namespace StreamForge.Tests.Videos;

/// <summary>Every transition a browser shows is announced on video_events, admin "delete jobs" and delete included.</summary>
[Collection(StackCollection.Name)]
public sealed class LifecycleEventsTests(StackFixture stack)
{
    private readonly ApiFactory _api = stack.Api;

    [Fact]
    public async Task Admin_delete_jobs_and_delete_announce_the_new_state()
    {
        var client = await _api.RegisterAsync();
        var created = await client.CreateUploadAsync(1_000);
        var videoId = created.GetProperty("videoId").GetGuid();
        await TestApi.PutToStorageAsync(stack.Storage, created.GetProperty("url").GetString()!, RandomNumberGenerator.GetBytes(1_000));
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/v1/uploads/{videoId}/complete", null)).StatusCode);

        await using var conn = new NpgsqlConnection(_api.ConnectionString);
        await conn.OpenAsync();
        var heard = new List<JsonElement>();
        conn.Notification += (_, e) => { lock (heard) heard.Add(JsonDocument.Parse(e.Payload).RootElement.Clone()); };
        await using (var listen = new NpgsqlCommand("LISTEN video_events", conn)) await listen.ExecuteNonQueryAsync();

        var admin = await _api.LoginAdminAsync(stack);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/v1/admin/jobs/delete", new { videoIds = new[] { videoId } })).StatusCode);
        await HeardAsync(conn, heard, videoId, "failed", e => Assert.Equal("Job deleted by an administrator.", e.GetProperty("error").GetString()));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/videos/{videoId}")).StatusCode);
        await HeardAsync(conn, heard, videoId, "deleted", _ => { });
    }

    private static async Task HeardAsync(NpgsqlConnection conn, List<JsonElement> heard, Guid videoId, string status, Action<JsonElement> check)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            JsonElement? match;
            lock (heard) match = heard.Cast<JsonElement?>().FirstOrDefault(e => e!.Value.GetProperty("videoId").GetGuid() == videoId && e.Value.GetProperty("status").GetString() == status);
            if (match is { } m)
            {
                check(m);
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"no '{status}' event for {videoId}; heard: {string.Join(" | ", heard)}");
            // Blocks until the next notification arrives (or the slice ends), then the list is checked again.
            await conn.WaitAsync(TimeSpan.FromSeconds(1));
        }
    }
}

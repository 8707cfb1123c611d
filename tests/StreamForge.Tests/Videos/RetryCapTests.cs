using System.Security.Cryptography;

namespace StreamForge.Tests.Videos;

/// <summary>An owner's retries of one video are capped per day (each is a full encode); admins are not.</summary>
[Collection(StackCollection.Name)]
public sealed class RetryCapTests(StackFixture stack) : IAsyncLifetime
{
    private readonly ApiFactory _api = new(stack, new Dictionary<string, string> { ["Processing:OwnerRetriesPerDay"] = "2" });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task The_owner_gets_429_past_the_daily_retry_cap_and_an_admin_still_requeues()
    {
        var client = await _api.RegisterAsync();
        var created = await client.CreateUploadAsync(1_000);
        var videoId = created.GetProperty("videoId").GetGuid();
        await TestApi.PutToStorageAsync(stack.Storage, created.GetProperty("url").GetString()!, RandomNumberGenerator.GetBytes(1_000));
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/v1/uploads/{videoId}/complete", null)).StatusCode);

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/v1/videos/{videoId}/cancel", null)).StatusCode);
            var retried = await client.PostAsync($"/api/v1/videos/{videoId}/retry", null);
            Assert.True(retried.StatusCode == HttpStatusCode.Accepted, await retried.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/v1/videos/{videoId}/cancel", null)).StatusCode);
        var refused = await client.PostAsync($"/api/v1/videos/{videoId}/retry", null);
        var detail = await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("2 times in the last 24 hours", detail);
        var video = await (await client.GetAsync($"/api/v1/videos/{videoId}")).ReadJsonAsync();
        Assert.Equal("failed", video.GetProperty("status").GetString());

        var admin = await _api.LoginAdminAsync(stack);
        var requeued = await (await admin.PostAsJsonAsync("/api/v1/admin/jobs/requeue", new { videoIds = new[] { videoId } })).ReadJsonAsync();
        Assert.Equal(1, requeued.GetProperty("requeued").GetInt32());
    }
}

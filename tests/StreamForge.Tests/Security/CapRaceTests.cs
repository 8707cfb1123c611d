using Npgsql;

namespace StreamForge.Tests.Security;

/// <summary>
/// Per-account and per-video caps under racing creations: each creation counts and inserts under a row lock, so six
/// requests that all start below the cap cannot pass it together. To make them truly concurrent, the test holds the
/// capped row's lock itself until all six wait on it (or, without the API's lock, on their insert's foreign-key check,
/// after they all counted), then lets go.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class CapRaceTests(StackFixture stack)
{
    private readonly ApiFactory _api = stack.Api;
    private const int Racers = 6;

    [Fact]
    public async Task Share_links_stop_at_twenty_per_video()
    {
        var owner = await _api.RegisterAsync();
        var videoId = (await owner.CreateUploadAsync(1000)).GetProperty("videoId").GetGuid();
        var route = $"/api/v1/videos/{videoId}/share-links";
        await AssertCapAsync(owner, 20, "videos", videoId, () => owner.PostAsJsonAsync(route, new { expiresInHours = 1 }),
            async () => (await (await owner.GetAsync(route)).ReadJsonAsync()).GetArrayLength());
    }

    [Fact]
    public async Task Upload_links_stop_at_twenty_open_per_account()
    {
        var owner = await _api.RegisterAsync();
        await AssertCapAsync(owner, 20, "users", await owner.UserIdAsync(), () => owner.PostAsJsonAsync("/api/v1/direct-uploads", new { }),
            async () => (await (await owner.GetAsync("/api/v1/direct-uploads")).ReadJsonAsync()).GetArrayLength());
    }

    [Fact]
    public async Task Webhook_endpoints_stop_at_ten_per_account()
    {
        var owner = await _api.RegisterAsync();
        await AssertCapAsync(owner, 10, "users", await owner.UserIdAsync(), () => owner.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/cap", events = new[] { "video.ready" } }),
            async () => (await (await owner.GetAsync("/api/v1/webhooks")).ReadJsonAsync()).GetArrayLength());
    }

    /// <summary>Fills to two below <paramref name="cap"/>, then races <see cref="Racers"/> creations: two win, the rest get 409.</summary>
    private async Task AssertCapAsync(HttpClient owner, int cap, string table, Guid rowId, Func<Task<HttpResponseMessage>> create, Func<Task<int>> count)
    {
        for (var i = 0; i < cap - 2; i++) Assert.Equal(HttpStatusCode.Created, (await create()).StatusCode);

        await using var conn = new NpgsqlConnection(_api.ConnectionString);
        await conn.OpenAsync();
        await using (var tx = await conn.BeginTransactionAsync())
        {
            await using (var hold = new NpgsqlCommand($"SELECT 1 FROM {table} WHERE id = @id FOR UPDATE", conn, tx))
            {
                hold.Parameters.AddWithValue("id", rowId);
                Assert.Equal(1, await hold.ExecuteScalarAsync());
            }
            var racing = Task.WhenAll(Enumerable.Range(0, Racers).Select(_ => Task.Run(create)));
            await Eventually.HoldsAsync(async () => racing.IsCompleted || await WaitingOnLocksAsync() >= Racers, TimeSpan.FromSeconds(20),
                () => $"{Racers} creations waiting on the row lock");
            await tx.CommitAsync();
            var answers = await racing;
            var codes = string.Join(", ", answers.Select(a => (int)a.StatusCode));
            Assert.True(answers.Count(a => a.StatusCode == HttpStatusCode.Created) == 2, codes);
            Assert.True(answers.Count(a => a.StatusCode == HttpStatusCode.Conflict) == Racers - 2, codes);
        }
        Assert.Equal(cap, await count());
    }

    private async Task<long> WaitingOnLocksAsync()
    {
        await using var conn = new NpgsqlConnection(_api.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}

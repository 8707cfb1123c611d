namespace StreamForge.Tests.Admin;

/// <summary>The admin dashboard's figures: global storage with the largest accounts, open uploads, workers online and busy.</summary>
[Collection(StackCollection.Name)]
public sealed class AdminStatsTests(StackFixture stack)
{
    private static async Task<JsonElement> StatsAsync(HttpClient admin)
    {
        var response = await admin.GetAsync("/api/v1/admin/stats");
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode} {body}");
        return body;
    }

    /// <summary>Polls the stats until <paramref name="done"/> holds (figures come from other processes' heartbeats).</summary>
    private static Task<JsonElement> StatsUntilAsync(HttpClient admin, Func<JsonElement, bool> done, TimeSpan timeout, string what) =>
        Eventually.ValueAsync(() => StatsAsync(admin), done, timeout, last => $"stats never showed {what}: {last}");

    [Fact]
    public async Task Storage_total_is_the_sum_over_users_with_the_largest_accounts_listed_and_open_uploads_counted()
    {
        await using var api = stack.NewApi();
        var uploader = await api.RegisterAsync();
        var pending = await api.RegisterAsync();
        await VideoFlow.UploadAsync(uploader, await Clips.GenerateAsync(320, 240, 1, name: "stats-total.mp4"));
        const long openBytes = 6 * 1024 * 1024;
        await pending.CreateUploadAsync(openBytes); // reserved, never completed
        var admin = await api.LoginAdminAsync(stack);

        var stats = await StatsAsync(admin);
        var users = (await (await admin.GetAsync("/api/v1/admin/users")).ReadJsonAsync()).EnumerateArray().ToList();
        var perUser = users.Select(u => u.GetProperty("storageUsedBytes").GetInt64()).ToList();
        Assert.Equal(perUser.Sum(), stats.GetProperty("storageUsedBytes").GetInt64());
        Assert.True(stats.GetProperty("storageUsedBytes").GetInt64() >= openBytes, stats.ToString());

        var top = stats.GetProperty("topStorageUsers").EnumerateArray().ToList();
        var expected = users.Where(u => u.GetProperty("storageUsedBytes").GetInt64() > 0)
            .OrderByDescending(u => u.GetProperty("storageUsedBytes").GetInt64()).ThenBy(u => u.GetProperty("email").GetString(), StringComparer.Ordinal)
            .Take(5).Select(u => (u.GetProperty("email").GetString(), u.GetProperty("storageUsedBytes").GetInt64())).ToList();
        Assert.Equal(expected, top.Select(u => (u.GetProperty("email").GetString(), u.GetProperty("storageUsedBytes").GetInt64())).ToList());
        Assert.Equal(2, top.Count);
        Assert.True(top.All(u => u.GetProperty("quotaBytes").ValueKind == JsonValueKind.Number), "plain users have a quota");

        Assert.Equal(1, stats.GetProperty("uploads").GetProperty("active").GetInt32());
        Assert.Equal(openBytes, stats.GetProperty("uploads").GetProperty("bytes").GetInt64());
        // No worker runs against this database.
        Assert.Equal(0, stats.GetProperty("workers").GetProperty("online").GetInt32());
    }

    [Fact]
    public async Task Workers_show_online_and_busy_while_a_job_runs()
    {
        await using var api = stack.NewApi();
        var user = await api.RegisterAsync();
        var admin = await api.LoginAdminAsync(stack);
        await using var worker = WorkerProcess.Start(stack, api.ConnectionString, WorkerProcess.FastSettings);
        await StatsUntilAsync(admin, s => s.GetProperty("workers").GetProperty("online").GetInt32() == 1, TimeSpan.FromSeconds(60), "one worker online");

        // Long enough to transcode that a 100 ms poll sees the worker busy.
        var videoId = await VideoFlow.UploadAsync(user, await Clips.GenerateAsync(1280, 720, 6, name: "stats-busy.mp4"));
        var busy = await StatsUntilAsync(admin, s => s.GetProperty("workers").GetProperty("busy").GetInt32() == 1, TimeSpan.FromSeconds(60), "the worker busy");
        Assert.Equal(1, busy.GetProperty("workers").GetProperty("online").GetInt32());
        Assert.Equal(0, busy.GetProperty("uploads").GetProperty("active").GetInt32());

        var final = await VideoFlow.WaitForFinalAsync(user, videoId, diagnostics: () => worker.Log);
        Assert.Equal("ready", final.GetProperty("status").GetString());
        var idle = await StatsUntilAsync(admin, s => s.GetProperty("workers").GetProperty("busy").GetInt32() == 0, TimeSpan.FromSeconds(30), "the worker idle");
        Assert.Equal(1, idle.GetProperty("workers").GetProperty("online").GetInt32());
        Assert.Equal(1, idle.GetProperty("succeededLastDay").GetInt32());
    }
}

using System.Security.Cryptography;
using StreamForge.Core.Quota;
using StreamForge.Core.Uploads;
using Xunit.Abstractions;

namespace StreamForge.Tests.Uploads;

/// <summary>
/// Requests lined up on one gate and released together, repeated a few times per race: whatever the interleaving,
/// one caller wins, the others get 404/409/410 (never 500), and the quota ledger equals the audit of the rows.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class UploadRaceTests(StackFixture stack, ITestOutputHelper output)
{
    private const int Rounds = 3;
    private readonly ApiFactory _api = stack.Api;

    [Fact]
    public async Task Twenty_parallel_aborts_answer_one_204_and_move_the_quota_once()
    {
        var client = await _api.RegisterAsync();
        var userId = await client.UserIdAsync();
        var open = await client.CreateUploadAsync(300_000_000);
        for (var round = 0; round < Rounds; round++)
        {
            var videoId = (await client.CreateUploadAsync(100_000_000)).GetProperty("videoId").GetGuid();
            var codes = await RaceAsync(Enumerable.Range(0, 20).Select(_ => (Func<Task<HttpResponseMessage>>)(() => client.DeleteAsync($"/api/v1/uploads/{videoId}"))));
            output.WriteLine($"round {round}: {Summary(codes)}");
            await AssertBalancedAsync(userId, 300_000_000);
            AssertOneWinner(codes, HttpStatusCode.NoContent);
        }
        Assert.Equal("active", (await (await client.GetAsync($"/api/v1/uploads/{open.GetProperty("videoId").GetGuid()}")).ReadJsonAsync()).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Parallel_completes_all_answer_202_and_charge_the_measured_size_once()
    {
        var client = await _api.RegisterAsync();
        var userId = await client.UserIdAsync();
        for (var round = 0; round < Rounds; round++)
        {
            var videoId = await UploadedAsync(client, 4_000);
            var codes = await RaceAsync(Enumerable.Range(0, 8).Select(_ => Complete(client, videoId)));
            output.WriteLine($"round {round}: {Summary(codes)}");
            await AssertBalancedAsync(userId, 4_000L * (round + 1));
            Assert.True(codes.All(c => c == HttpStatusCode.Accepted), Summary(codes));
        }
    }

    [Fact]
    public async Task Abort_racing_complete_has_one_winner()
    {
        var client = await _api.RegisterAsync();
        var userId = await client.UserIdAsync();
        for (var round = 0; round < Rounds; round++)
        {
            var videoId = await UploadedAsync(client, 3_000);
            var codes = await RaceAsync([.. Enumerable.Range(0, 3).Select(_ => Complete(client, videoId)), .. Enumerable.Range(0, 3).Select(_ => Abort(client, videoId))]);
            output.WriteLine($"round {round}: {Summary(codes)}");
            await AssertBalancedAsync(userId);
            var completed = codes.Take(3).Count(c => c == HttpStatusCode.Accepted);
            var aborted = codes.Skip(3).Count(c => c == HttpStatusCode.NoContent);
            // Either the completes won (all of them, idempotently) and every abort got 409, or one abort won and the rest lost.
            Assert.True((completed == 3 && aborted == 0) || (completed == 0 && aborted == 1), Summary(codes));
            Assert.True(codes.All(c => c is HttpStatusCode.Accepted or HttpStatusCode.NoContent or HttpStatusCode.NotFound or HttpStatusCode.Conflict or HttpStatusCode.Gone), Summary(codes));
        }
    }

    [Fact]
    public async Task Delete_racing_complete_leaves_nothing_charged()
    {
        var client = await _api.RegisterAsync();
        var userId = await client.UserIdAsync();
        for (var round = 0; round < Rounds; round++)
        {
            var videoId = await UploadedAsync(client, 2_000);
            var codes = await RaceAsync([Complete(client, videoId), Complete(client, videoId), () => client.DeleteAsync($"/api/v1/videos/{videoId}")]);
            output.WriteLine($"round {round}: {Summary(codes)}");
            await AssertBalancedAsync(userId, 0);
            Assert.Equal(HttpStatusCode.NoContent, codes[2]);
            // A complete that lost answers 404 (row gone) or 409 (its object already removed by the delete).
            Assert.All(codes.Take(2), c => Assert.True(c is HttpStatusCode.Accepted or HttpStatusCode.NotFound or HttpStatusCode.Conflict, Summary(codes)));
        }
    }

    [Fact]
    public async Task Abort_racing_the_expiry_sweep_releases_the_reservation_once()
    {
        var client = await _api.RegisterAsync();
        var userId = await client.UserIdAsync();
        await client.CreateUploadAsync(50_000_000);
        var sweeps = new List<int>();
        for (var round = 0; round < Rounds * 2; round++)
        {
            var videoId = (await client.CreateUploadAsync(100_000_000)).GetProperty("videoId").GetGuid();
            await TestDb.QueryAsync(_api, "UPDATE upload_sessions SET expires_at = now() - interval '1 minute' WHERE video_id = @id RETURNING state", videoId);
            var codes = await RaceAsync([Abort(client, videoId), Abort(client, videoId), async () =>
            {
                await using var scope = _api.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<UploadExpiry>().ExpireIdleAsync(100, default);
                return new HttpResponseMessage(HttpStatusCode.OK);
            }]);
            output.WriteLine($"round {round}: {Summary(codes)}");
            await AssertBalancedAsync(userId, 50_000_000);
            var state = (await TestDb.QueryAsync(_api, "SELECT state FROM upload_sessions WHERE video_id = @id", videoId)).SingleOrDefault();
            var aborts = codes.Take(2).ToArray();
            // The abort won (the row is gone, one 204) or the sweep did (expired, both aborts 410).
            Assert.True(state is null ? aborts.Count(c => c == HttpStatusCode.NoContent) == 1 && aborts.All(c => c is HttpStatusCode.NoContent or HttpStatusCode.NotFound)
                : state == "expired" && aborts.All(c => c == HttpStatusCode.Gone), $"{state ?? "deleted"}: {Summary(codes)}");
        }
    }

    [Fact]
    public async Task Signing_racing_an_abort_never_answers_500()
    {
        var client = await _api.RegisterAsync();
        var userId = await client.UserIdAsync();
        for (var round = 0; round < Rounds; round++)
        {
            var videoId = (await client.CreateUploadAsync(30_000_000)).GetProperty("videoId").GetGuid();
            var codes = await RaceAsync([
                .. Enumerable.Range(1, 6).Select(n => (Func<Task<HttpResponseMessage>>)(() => client.PostAsJsonAsync($"/api/v1/uploads/{videoId}/parts/sign", new { partNumbers = new[] { n } }))),
                Abort(client, videoId),
            ]);
            output.WriteLine($"round {round}: {Summary(codes)}");
            await AssertBalancedAsync(userId, 0);
            Assert.Equal(HttpStatusCode.NoContent, codes[^1]);
            Assert.True(codes.SkipLast(1).All(c => c is HttpStatusCode.OK or HttpStatusCode.NotFound or HttpStatusCode.Gone), Summary(codes));
        }
    }

    // ---- helpers ----

    /// <summary>Starts every request, holds them on one gate, releases them at once and returns their status codes.</summary>
    internal static async Task<HttpStatusCode[]> RaceAsync(IEnumerable<Func<Task<HttpResponseMessage>>> requests)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = requests.Select(async send =>
        {
            await gate.Task;
            using var response = await send();
            return response.StatusCode;
        }).ToArray();
        gate.SetResult();
        return await Task.WhenAll(tasks);
    }

    private static void AssertOneWinner(HttpStatusCode[] codes, HttpStatusCode win)
    {
        Assert.True(codes.Count(c => c == win) == 1, $"expected one {(int)win}: {Summary(codes)}");
        Assert.True(codes.All(c => c == win || c is HttpStatusCode.NotFound or HttpStatusCode.Conflict or HttpStatusCode.Gone),
            $"the losers must get 404/409/410: {Summary(codes)}");
    }

    private static string Summary(IEnumerable<HttpStatusCode> codes) =>
        string.Join(", ", codes.GroupBy(c => (int)c).OrderBy(g => g.Key).Select(g => $"{g.Key}x{g.Count()}"));

    private async Task AssertBalancedAsync(Guid userId, long? expectedLedger = null)
    {
        await using var scope = _api.Services.CreateAsyncScope();
        var audit = await scope.ServiceProvider.GetRequiredService<QuotaAudit>().CheckAsync(userId, default);
        Assert.NotNull(audit);
        output.WriteLine($"  ledger {audit.Ledger:N0}, audit {audit.Expected:N0}");
        Assert.True(audit.Balanced, $"ledger {audit.Ledger:N0} but the rows account for {audit.Expected:N0}");
        if (expectedLedger is { } e) Assert.Equal(e, audit.Ledger);
    }

    private static Func<Task<HttpResponseMessage>> Complete(HttpClient client, Guid videoId) => () => client.PostAsync($"/api/v1/uploads/{videoId}/complete", null);

    private static Func<Task<HttpResponseMessage>> Abort(HttpClient client, Guid videoId) => () => client.DeleteAsync($"/api/v1/uploads/{videoId}");

    /// <summary>A single-PUT upload whose bytes are stored, ready to complete.</summary>
    private async Task<Guid> UploadedAsync(HttpClient client, int size)
    {
        var created = await client.CreateUploadAsync(size);
        await TestApi.PutToStorageAsync(stack.Storage, created.GetProperty("url").GetString()!, RandomNumberGenerator.GetBytes(size));
        return created.GetProperty("videoId").GetGuid();
    }
}

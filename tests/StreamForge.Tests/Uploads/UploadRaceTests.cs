using System.Security.Cryptography;
using StreamForge.Core.Accounts;
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
        var userId = await UserIdAsync(client);
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

    private static async Task<Guid> UserIdAsync(HttpClient client) =>
        (await (await client.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("id").GetGuid();
}

using System.Security.Cryptography;
using StreamForge.Core.Quota;
using StreamForge.Core.Data;
using StreamForge.Core.Videos;

namespace StreamForge.Tests.Videos;

/// <summary>Concurrent transitions straight on <see cref="VideoLifecycle"/> (each caller its own scope and connection): one wins, the quota moves once.</summary>
[Collection(StackCollection.Name)]
public sealed class VideoLifecycleTests(StackFixture stack)
{
    private readonly ApiFactory _api = stack.Api;

    [Fact]
    public async Task Of_parallel_aborts_and_expiries_of_one_upload_exactly_one_wins()
    {
        var client = await _api.RegisterAsync();
        var userId = await client.UserIdAsync();
        for (var round = 0; round < 3; round++)
        {
            var videoId = (await client.CreateUploadAsync(10_000_000)).GetProperty("videoId").GetGuid();
            await TestDb.QueryAsync(_api, "UPDATE upload_sessions SET expires_at = now() - interval '1 minute' WHERE video_id = @id RETURNING state", videoId);
            var results = await RaceAsync(Enumerable.Range(0, 10).Select(i => (Func<VideoLifecycle, Task<TransitionOutcome>>)(i % 2 == 0
                ? l => l.AbortUploadAsync(videoId, default)
                : l => l.ExpireUploadAsync(videoId, default))));
            Assert.Equal(1, results.Count(r => r.Result == TransitionResult.Done));
            Assert.All(results.Where(r => r.Result != TransitionResult.Done),
                r => Assert.Contains(r.Result, new[] { TransitionResult.NotFound, TransitionResult.Gone, TransitionResult.Conflict }));
            await AssertBalancedAsync(userId, 0);
        }
    }

    [Fact]
    public async Task Of_cancel_fail_and_ready_racing_on_one_processing_video_exactly_one_wins()
    {
        var client = await _api.RegisterAsync();
        var userId = await client.UserIdAsync();
        var created = await client.CreateUploadAsync(1_000);
        var videoId = created.GetProperty("videoId").GetGuid();
        await TestApi.PutToStorageAsync(stack.Storage, created.GetProperty("url").GetString()!, RandomNumberGenerator.GetBytes(1_000));
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/v1/uploads/{videoId}/complete", null)).StatusCode);
        var facts = new ReadyFacts(1, 1, 2, 2, "m", "p", "t", new ProbeFacts("mp4", 1, null, "h264", null, null, 2, 2, 0, 25, false, null, null, null), []);
        var results = await RaceAsync([
            l => l.CancelAsync(videoId, "Cancelled by the owner.", default),
            async l => await l.FailAsync(videoId, "boom", default) ? TransitionOutcome.Done : new(TransitionResult.Conflict),
            async l => await l.MarkReadyAsync(videoId, userId, facts, default) ? TransitionOutcome.Done : new(TransitionResult.Conflict),
            l => l.CancelAsync(videoId, "Job deleted by an administrator.", default),
        ]);
        Assert.Equal(1, results.Count(r => r.Result == TransitionResult.Done));
        await AssertBalancedAsync(userId, 1_000);
    }

    private async Task<TransitionOutcome[]> RaceAsync(IEnumerable<Func<VideoLifecycle, Task<TransitionOutcome>>> moves)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = moves.Select(async move =>
        {
            await using var scope = _api.Services.CreateAsyncScope();
            var lifecycle = scope.ServiceProvider.GetRequiredService<VideoLifecycle>();
            await gate.Task;
            return await move(lifecycle);
        }).ToArray();
        gate.SetResult();
        return await Task.WhenAll(tasks);
    }

    private async Task AssertBalancedAsync(Guid userId, long ledger)
    {
        await using var scope = _api.Services.CreateAsyncScope();
        var audit = await scope.ServiceProvider.GetRequiredService<QuotaAudit>().CheckAsync(userId, default);
        Assert.NotNull(audit);
        Assert.True(audit.Balanced, $"ledger {audit.Ledger:N0} but the rows account for {audit.Expected:N0}");
        Assert.Equal(ledger, audit.Ledger);
    }
}

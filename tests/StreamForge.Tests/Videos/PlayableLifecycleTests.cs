using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using StreamForge.Core.Data;
using StreamForge.Core.Videos;

namespace StreamForge.Tests.Videos;

/// <summary>
/// Playable while processing, straight on <see cref="VideoLifecycle"/> and the real database: MarkPlayable points a
/// processing video at growing media and announces it once; every stop short of ready drops that reference.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class PlayableLifecycleTests(StackFixture stack)
{
    private readonly ApiFactory _api = stack.Api;

    [Fact]
    public async Task MarkPlayable_points_the_processing_video_at_the_growing_version_and_announces_it_once()
    {
        var (videoId, ownerId) = await ProcessingVideoAsync();
        await using var tap = await EventTap.OpenAsync(_api.ConnectionString);

        Assert.True(await LifecycleAsync(l => l.MarkPlayableAsync(videoId, ownerId, Facts(1, "https://cdn/v1/manifest.json"), default)));
        var first = await RowAsync(videoId);
        Assert.Equal(VideoStatus.Processing, first.Status);
        Assert.Equal("https://cdn/v1/manifest.json", first.ManifestUrl);
        Assert.Equal(1, first.MediaVersion);
        Assert.True(first.MediaGrowing);
        Assert.NotNull(first.PlayableAt);
        Assert.Equal((60.5, 1920, 1080), (first.DurationSeconds!.Value, first.Width!.Value, first.Height!.Value));

        // A later rewrite of the growing manifest refreshes the facts but is not a new announcement.
        Assert.True(await LifecycleAsync(l => l.MarkPlayableAsync(videoId, ownerId, Facts(1, "https://cdn/v1/manifest.json?2", 61), default)));
        var second = await RowAsync(videoId);
        Assert.Equal("https://cdn/v1/manifest.json?2", second.ManifestUrl);
        Assert.Equal(61, second.DurationSeconds);
        Assert.Equal(first.PlayableAt, second.PlayableAt);

        // Events of one channel arrive in order: once the cancel is heard, a second playable event would have been too.
        await LifecycleAsync(l => l.CancelAsync(videoId, "Cancelled by the owner.", default));
        var heard = await tap.UntilAsync(videoId, "failed");
        var playable = heard.Where(e => e.GetProperty("manifestUrl").ValueKind == JsonValueKind.String).ToList();
        var announcement = Assert.Single(playable);
        Assert.Equal("processing", announcement.GetProperty("status").GetString());
        Assert.Equal("https://cdn/v1/manifest.json", announcement.GetProperty("manifestUrl").GetString());
        Assert.Equal(first.PlayableAt!.Value, announcement.GetProperty("playableAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, heard.Last().GetProperty("manifestUrl").ValueKind);
    }

    [Fact]
    public async Task A_ready_video_being_reprocessed_keeps_serving_its_complete_version()
    {
        var (videoId, ownerId) = await ProcessingVideoAsync();
        Assert.True(await LifecycleAsync(l => l.MarkReadyAsync(videoId, ownerId, Ready(1, "https://cdn/v1/manifest.json"), default)));
        Assert.Equal(TransitionResult.Done, (await LifecycleAsync(l => l.RequeueAsync(videoId, RequeueBy.Admin, default))).Result);

        Assert.False(await LifecycleAsync(l => l.MarkPlayableAsync(videoId, ownerId, Facts(2, "https://cdn/v2/manifest.json"), default)));
        var row = await RowAsync(videoId);
        Assert.Equal(("https://cdn/v1/manifest.json", 1, false), (row.ManifestUrl, row.MediaVersion, row.MediaGrowing));
        Assert.Null(row.PlayableAt);

        // Stopping the reprocessing leaves the complete version referenced: it is not growing media.
        await LifecycleAsync(l => l.CancelAsync(videoId, "Cancelled by the owner.", default));
        row = await RowAsync(videoId);
        Assert.Equal((VideoStatus.Failed, "https://cdn/v1/manifest.json"), (row.Status, row.ManifestUrl));
    }

    [Fact]
    public async Task MarkPlayable_is_refused_once_the_video_left_processing()
    {
        var (videoId, ownerId) = await ProcessingVideoAsync();
        Assert.True(await LifecycleAsync(l => l.FailAsync(videoId, "boom", default)));
        Assert.False(await LifecycleAsync(l => l.MarkPlayableAsync(videoId, ownerId, Facts(1, "https://cdn/v1/manifest.json"), default)));
        var row = await RowAsync(videoId);
        Assert.Equal((VideoStatus.Failed, (string?)null, false, (DateTimeOffset?)null), (row.Status, row.ManifestUrl, row.MediaGrowing, row.PlayableAt));
    }

    public static TheoryData<string> Stops() => ["cancel", "fail", "retry"];

    [Theory]
    [MemberData(nameof(Stops))]
    public async Task A_stop_after_playable_leaves_nothing_pointing_at_the_growing_media(string stop)
    {
        var (videoId, ownerId) = await ProcessingVideoAsync();
        Assert.True(await LifecycleAsync(l => l.MarkPlayableAsync(videoId, ownerId, Facts(1, "https://cdn/v1/manifest.json"), default)));
        await using var tap = await EventTap.OpenAsync(_api.ConnectionString);

        Assert.True(stop switch
        {
            "cancel" => (await LifecycleAsync(l => l.CancelAsync(videoId, "Cancelled by the owner.", default))).Result == TransitionResult.Done,
            "fail" => await LifecycleAsync(l => l.FailAsync(videoId, "boom", default)),
            _ => await LifecycleAsync(l => l.RecordRetryAsync(videoId, "retrying", default)),
        });
        var row = await RowAsync(videoId);
        Assert.Equal(stop == "retry" ? VideoStatus.Processing : VideoStatus.Failed, row.Status);
        Assert.Null(row.ManifestUrl);
        Assert.Null(row.PlayableAt);
        Assert.False(row.MediaGrowing);
        // The version stays counted, so the next attempt publishes under a new one.
        Assert.Equal(1, row.MediaVersion);

        // Browsers hear that the growing media is gone, the retry included (its status did not change).
        var heard = await tap.UntilAsync(videoId, stop == "retry" ? "processing" : "failed");
        Assert.Equal(JsonValueKind.Null, heard.Last().GetProperty("manifestUrl").ValueKind);
        Assert.Equal(stop switch { "cancel" => "Cancelled by the owner.", "fail" => "boom", _ => "retrying" }, heard.Last().GetProperty("error").GetString());

        if (stop == "retry")
        {
            // The retry's own growing version becomes playable again, and that is announced again.
            Assert.True(await LifecycleAsync(l => l.MarkPlayableAsync(videoId, ownerId, Facts(2, "https://cdn/v2/manifest.json"), default)));
            var again = await tap.UntilAsync(videoId, "processing", e => e.GetProperty("manifestUrl").GetString() == "https://cdn/v2/manifest.json");
            Assert.Equal(JsonValueKind.String, again.Last().GetProperty("playableAt").ValueKind);
            Assert.Equal((2, true), ((await RowAsync(videoId)).MediaVersion, (await RowAsync(videoId)).MediaGrowing));
            // A late call of the given-up attempt cannot point the video back at its (deleted) media.
            Assert.False(await LifecycleAsync(l => l.MarkPlayableAsync(videoId, ownerId, Facts(1, "https://cdn/v1/manifest.json"), default)));
            Assert.Equal("https://cdn/v2/manifest.json", (await RowAsync(videoId)).ManifestUrl);
        }
    }

    [Fact]
    public async Task MarkReady_after_playable_ends_the_growth_and_keeps_when_it_became_playable()
    {
        var (videoId, ownerId) = await ProcessingVideoAsync();
        Assert.True(await LifecycleAsync(l => l.MarkPlayableAsync(videoId, ownerId, Facts(1, "https://cdn/v1/manifest.json"), default)));
        var playableAt = (await RowAsync(videoId)).PlayableAt;
        Assert.True(await LifecycleAsync(l => l.MarkReadyAsync(videoId, ownerId, Ready(1, "https://cdn/v1/manifest.json?final"), default)));

        var row = await RowAsync(videoId);
        Assert.Equal(VideoStatus.Ready, row.Status);
        Assert.False(row.MediaGrowing);
        Assert.Equal(playableAt, row.PlayableAt);
        Assert.Equal("https://cdn/v1/manifest.json?final", row.ManifestUrl);
        // A complete version is served now: a late growing call cannot take it back.
        Assert.False(await LifecycleAsync(l => l.MarkPlayableAsync(videoId, ownerId, Facts(1, "https://cdn/v1/manifest.json"), default)));
    }

    [Fact]
    public async Task MarkPlayable_racing_cancel_never_leaves_a_failed_video_pointing_at_growing_media()
    {
        var client = await _api.RegisterAsync();
        for (var round = 0; round < 20; round++)
        {
            var (videoId, ownerId) = await ProcessingVideoAsync(client);
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var playable = Task.Run(async () => { await gate.Task; return await LifecycleAsync(l => l.MarkPlayableAsync(videoId, ownerId, Facts(1, "https://cdn/v1/manifest.json"), default)); });
            var cancel = Task.Run(async () => { await gate.Task; return await LifecycleAsync(l => l.CancelAsync(videoId, "Cancelled by the owner.", default)); });
            gate.SetResult();
            // Either order is legal: MarkPlayable first (the cancel then clears it) or the cancel first (MarkPlayable refused).
            await playable;
            Assert.Equal(TransitionResult.Done, (await cancel).Result);

            var row = await RowAsync(videoId);
            Assert.True(row is { Status: VideoStatus.Failed, ManifestUrl: null, PlayableAt: null, MediaGrowing: false },
                $"round {round}: {row.Status} manifest={row.ManifestUrl} playableAt={row.PlayableAt} growing={row.MediaGrowing}");
        }
    }

    private static PlayableFacts Facts(int version, string manifestUrl, double duration = 60.5) => new(version, manifestUrl, duration, 1920, 1080);

    private static ReadyFacts Ready(int version, string manifestUrl) => new(version, 60.5, 1920, 1080, manifestUrl, "p", "t",
        new ProbeFacts("mp4", 60.5, null, "h264", null, null, 1920, 1080, 0, 25, false, null, null, null), []);

    /// <summary>A completed upload: processing, with no worker running in this collection to move it on.</summary>
    private async Task<(Guid VideoId, Guid OwnerId)> ProcessingVideoAsync(HttpClient? client = null)
    {
        client ??= await _api.RegisterAsync();
        var ownerId = (await (await client.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("id").GetGuid();
        var created = await client.CreateUploadAsync(1_000);
        var videoId = created.GetProperty("videoId").GetGuid();
        await TestApi.PutToStorageAsync(stack.Storage, created.GetProperty("url").GetString()!, RandomNumberGenerator.GetBytes(1_000));
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/v1/uploads/{videoId}/complete", null)).StatusCode);
        return (videoId, ownerId);
    }

    /// <summary>Each call its own scope (connection, DbContext), as concurrent callers have.</summary>
    private async Task<T> LifecycleAsync<T>(Func<VideoLifecycle, Task<T>> call)
    {
        await using var scope = _api.Services.CreateAsyncScope();
        return await call(scope.ServiceProvider.GetRequiredService<VideoLifecycle>());
    }

    private async Task<Video> RowAsync(Guid videoId)
    {
        await using var scope = _api.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<StreamForgeDbContext>().Videos.AsNoTracking().SingleAsync(v => v.Id == videoId);
    }

    /// <summary>Listens on video_events from before the calls under test, so their announcements cannot be missed.</summary>
    private sealed class EventTap : IAsyncDisposable
    {
        private readonly NpgsqlConnection _conn;
        private readonly List<JsonElement> _heard = [];

        private EventTap(NpgsqlConnection conn)
        {
            _conn = conn;
            _conn.Notification += (_, e) => { lock (_heard) _heard.Add(JsonDocument.Parse(e.Payload).RootElement.Clone()); };
        }

        public static async Task<EventTap> OpenAsync(string connectionString)
        {
            var tap = new EventTap(new NpgsqlConnection(connectionString));
            await tap._conn.OpenAsync();
            await using var listen = new NpgsqlCommand("LISTEN video_events", tap._conn);
            await listen.ExecuteNonQueryAsync();
            return tap;
        }

        /// <summary>The video's events up to and including the first with <paramref name="status"/> (and <paramref name="also"/>).</summary>
        public async Task<List<JsonElement>> UntilAsync(Guid videoId, string status, Func<JsonElement, bool>? also = null)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (true)
            {
                List<JsonElement> mine;
                lock (_heard) mine = _heard.Where(e => e.GetProperty("videoId").GetGuid() == videoId).ToList();
                var end = mine.FindIndex(e => e.GetProperty("status").GetString() == status && (also?.Invoke(e) ?? true));
                if (end >= 0) return mine[..(end + 1)];
                Assert.True(DateTime.UtcNow < deadline, $"no '{status}' event for {videoId}; heard: {string.Join(" | ", mine)}");
                // Blocks until the next notification arrives (or the slice ends), then the list is checked again.
                await _conn.WaitAsync(TimeSpan.FromSeconds(1));
            }
        }

        public ValueTask DisposeAsync() => _conn.DisposeAsync();
    }
}

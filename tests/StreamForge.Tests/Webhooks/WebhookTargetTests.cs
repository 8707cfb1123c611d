using Npgsql;

namespace StreamForge.Tests.Webhooks;

/// <summary>With private targets off (production's default), registration refuses every internal address form.</summary>
[Collection(StackCollection.Name)]
public sealed class WebhookTargetTests(StackFixture stack) : IAsyncLifetime
{
    private readonly ApiFactory _api = stack.NewApi(new Dictionary<string, string> { ["Webhooks:AllowPrivateTargets"] = "false" });

    [Theory]
    [InlineData("http://127.0.0.1/")]
    [InlineData("http://[::1]/")]
    [InlineData("http://10.1.2.3/")]
    [InlineData("http://169.254.169.254/")]
    [InlineData("http://[::ffff:127.0.0.1]/")]
    [InlineData("http://2130706433/")]
    [InlineData("http://0177.0.0.1/")]
    [InlineData("http://localhost/")]
    [InlineData("ftp://example.com/")]
    [InlineData("http://user:pass@127.0.0.1/")]
    public async Task A_hostile_target_is_refused_at_registration(string url)
    {
        var owner = await _api.RegisterAsync();
        var response = await owner.PostAsJsonAsync("/api/v1/webhooks", new { url, events = new[] { "video.ready" } });
        var detail = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.False(string.IsNullOrWhiteSpace(detail));
        var body = await response.ReadJsonAsync();
        Assert.True(body.GetProperty("errors").TryGetProperty("url", out _), body.ToString());
        await using var conn = new NpgsqlConnection(_api.ConnectionString);
        await conn.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM webhook_endpoints", conn);
        Assert.Equal(0L, await count.ExecuteScalarAsync());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _api.DisposeAsync();
}

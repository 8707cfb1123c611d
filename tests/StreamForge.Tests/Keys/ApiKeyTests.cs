using Npgsql;
using StreamForge.Api.Keys;

namespace StreamForge.Tests.Keys;

/// <summary>
/// API keys end to end over the real API and database: made, listed and revoked by a session; used as a bearer by a
/// cookie-less client; refused when revoked, when their account is gone, on admin and key routes; their use recorded;
/// and counted as their account for quota and the per-account request limit.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class ApiKeyTests(StackFixture stack)
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task A_session_creates_lists_and_revokes_keys_and_the_secret_is_shown_once()
    {
        var api = stack.Api;
        using var owner = await api.RegisterAsync();
        var created = await owner.CreateKeyAsync("ci deploy", ApiScopes.VideosWrite, ApiScopes.VideosRead, ApiScopes.VideosRead);
        var key = created.GetProperty("key").GetString()!;
        Assert.StartsWith("sk_", key);
        Assert.Equal(46, key.Length);
        Assert.Equal(key[..11], created.GetProperty("prefix").GetString());
        Assert.Equal("ci deploy", created.GetProperty("name").GetString());
        Assert.Equal([ApiScopes.VideosRead, ApiScopes.VideosWrite], created.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!));
        var id = created.GetProperty("id").GetString()!;

        var list = await (await owner.GetAsync("/api/v1/keys")).ReadJsonAsync();
        var listed = Assert.Single(list.EnumerateArray());
        Assert.Equal(id, listed.GetProperty("id").GetString());
        Assert.False(listed.TryGetProperty("key", out _));
        Assert.DoesNotContain(key, list.GetRawText());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("lastUsedAt").ValueKind);

        // Stored as its SHA-256 only.
        await using (var conn = new NpgsqlConnection(api.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT hash FROM api_keys WHERE id = @id", conn);
            cmd.Parameters.AddWithValue("id", Guid.Parse(id));
            Assert.Equal(ApiKeySecret.Hash(key), (string?)await cmd.ExecuteScalarAsync());
        }

        using var other = await api.RegisterAsync();
        await (await other.DeleteAsync($"/api/v1/keys/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/v1/keys/{id}")).StatusCode);
        Assert.Empty((await (await owner.GetAsync("/api/v1/keys")).ReadJsonAsync()).EnumerateArray());
        await (await owner.DeleteAsync($"/api/v1/keys/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_key_works_as_a_bearer_and_stops_the_moment_it_is_revoked()
    {
        var api = stack.Api;
        var email = $"k{Guid.NewGuid():N}@example.com";
        using var owner = await api.RegisterAsync(email);
        var created = await owner.CreateKeyAsync("script", ApiScopes.VideosRead, ApiScopes.UploadsWrite);
        using var client = api.WithKey(created.GetProperty("key").GetString()!);

        var video = (await client.CreateUploadAsync(1000)).GetProperty("videoId").GetString();
        var videos = await (await client.GetAsync("/api/v1/videos")).ReadJsonAsync();
        Assert.Contains(videos.GetProperty("items").EnumerateArray(), v => v.GetProperty("id").GetString() == video);
        var me = await (await client.GetAsync("/api/v1/me")).ReadJsonAsync();
        Assert.Equal(email, me.GetProperty("email").GetString());
        // Writes by key need no CSRF header: there is no cookie to ride on.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/uploads/{video}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/v1/keys/{created.GetProperty("id").GetString()}")).StatusCode);
        var refused = await client.GetAsync("/api/v1/videos");
        var detail = await refused.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("API key", detail);

        using var mistyped = api.WithKey("sk_" + new string('A', 43));
        await (await mistyped.GetAsync("/api/v1/videos")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        using var malformed = api.WithKey("sk_short");
        await (await malformed.GetAsync("/api/v1/videos")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_key_of_a_deleted_account_is_refused()
    {
        var api = stack.Api;
        using var owner = await api.RegisterAsync();
        var userId = (await (await owner.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("id").GetGuid();
        using var client = await api.KeyClientAsync(owner, ApiScopes.VideosRead);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/videos")).StatusCode);
        await using (var conn = new NpgsqlConnection(api.ConnectionString))
        {
            await conn.OpenAsync();
            await using var delete = new NpgsqlCommand("DELETE FROM users WHERE id = @id", conn);
            delete.Parameters.AddWithValue("id", userId);
            Assert.Equal(1, await delete.ExecuteNonQueryAsync());
        }
        await (await client.GetAsync("/api/v1/videos")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_admins_key_carries_no_admin_power()
    {
        var api = stack.Api;
        using var admin = await api.LoginAdminAsync(stack);
        using var someone = await api.RegisterAsync();
        var othersVideo = (await someone.CreateUploadAsync(1000)).GetProperty("videoId").GetString();
        using var client = await api.KeyClientAsync(admin, [.. ApiScopes.All]);

        foreach (var path in new[] { "/api/v1/admin/users", "/api/v1/admin/videos", "/api/v1/admin/stats", "/api/v1/admin/jobs" })
            await (await client.GetAsync(path)).AssertProblemAsync(HttpStatusCode.Forbidden);
        // Admins see every video in their session; their key sees the account's own, as any user's would.
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/v1/videos/{othersVideo}")).StatusCode);
        await (await client.GetAsync($"/api/v1/videos/{othersVideo}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_key_cannot_manage_keys_or_the_account()
    {
        var api = stack.Api;
        using var owner = await api.RegisterAsync();
        var created = await owner.CreateKeyAsync("all", [.. ApiScopes.All]);
        using var client = api.WithKey(created.GetProperty("key").GetString()!);

        var list = await (await client.GetAsync("/api/v1/keys")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("API keys cannot call this route", list);
        await (await client.PostAsJsonAsync("/api/v1/keys", new { name = "more", scopes = new[] { ApiScopes.VideosRead } })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await client.DeleteAsync($"/api/v1/keys/{created.GetProperty("id").GetString()}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await client.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = Password, newPassword = "another password" }))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Single((await (await owner.GetAsync("/api/v1/keys")).ReadJsonAsync()).EnumerateArray());
    }

    [Fact]
    public async Task A_missing_scope_is_named_in_the_403()
    {
        var api = stack.Api;
        using var owner = await api.RegisterAsync();
        using var reader = await api.KeyClientAsync(owner, ApiScopes.VideosRead);
        var response = await reader.PostAsJsonAsync("/api/v1/uploads", new { fileName = "a.mp4", size = 1000, contentType = "video/mp4" });
        var detail = await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("'uploads:write'", detail);
        Assert.Equal("uploads:write", (await response.ReadJsonAsync()).GetProperty("scope").GetString());
    }

    [Fact]
    public async Task Last_use_is_recorded_once_per_interval()
    {
        var api = stack.Api;
        using var owner = await api.RegisterAsync();
        var created = await owner.CreateKeyAsync("reader", ApiScopes.VideosRead);
        using var client = api.WithKey(created.GetProperty("key").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/videos")).StatusCode);
        var first = await LastUsedAsync(owner);
        Assert.NotNull(first);
        Assert.True(DateTimeOffset.UtcNow - first < TimeSpan.FromMinutes(1), $"{first}");
        // Within the resolution (a minute) a busy key is not written again.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/videos")).StatusCode);
        Assert.Equal(first, await LastUsedAsync(owner));
    }

    [Fact]
    public async Task Keys_share_their_accounts_quota()
    {
        var api = stack.Api;
        using var owner = await api.RegisterAsync();
        using var client = await api.KeyClientAsync(owner, ApiScopes.UploadsWrite);
        var me = await (await owner.GetAsync("/api/v1/me")).ReadJsonAsync();
        var quota = me.GetProperty("quotaBytes").GetInt64();
        Assert.Equal(0, me.GetProperty("storageUsedBytes").GetInt64());

        await client.CreateUploadAsync(quota - 1000);
        Assert.Equal(quota - 1000, (await (await owner.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("storageUsedBytes").GetInt64());
        // The session has only what the key left, and the key only what the session left.
        var bySession = await owner.PostAsJsonAsync("/api/v1/uploads", new { fileName = "a.mp4", size = 2000, contentType = "video/mp4" });
        await bySession.AssertProblemAsync(HttpStatusCode.Forbidden);
        await owner.CreateUploadAsync(600);
        var byKey = await client.PostAsJsonAsync("/api/v1/uploads", new { fileName = "a.mp4", size = 600, contentType = "video/mp4" });
        await byKey.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Keys_and_sessions_of_one_account_share_one_request_count()
    {
        using var api = stack.NewApi(new Dictionary<string, string> { ["ApiKeys:RequestsPerMinute"] = "6" });
        using var owner = await api.RegisterAsync();
        using var client = await api.KeyClientAsync(owner, ApiScopes.VideosRead);
        using var otherOwner = await api.RegisterAsync();
        using var otherClient = await api.KeyClientAsync(otherOwner, ApiScopes.VideosRead);
        for (var i = 0; i < 6; i++) Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/api/v1/videos")).StatusCode);
        // The session used the account's minute: its key gets no allowance of its own.
        var limited = await client.GetAsync("/api/v1/videos");
        Assert.Contains("keys and sessions count together", await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests));
        Assert.NotNull(limited.Headers.RetryAfter);
        // The owner's own session is only counted, never refused; another account is untouched.
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/api/v1/videos")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await otherClient.GetAsync("/api/v1/videos")).StatusCode);
    }

    [Fact]
    public async Task Bad_key_requests_are_refused_with_problems()
    {
        using var api = stack.NewApi(new Dictionary<string, string> { ["ApiKeys:MaxKeysPerAccount"] = "2" });
        using var owner = await api.RegisterAsync();
        async Task<string> Refused(object body) =>
            await (await owner.PostAsJsonAsync("/api/v1/keys", body)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("unknown scope 'videos:admin'", await Refused(new { name = "x", scopes = new[] { "videos:admin" } }));
        Assert.Contains("name must not be empty", await Refused(new { name = "  ", scopes = new[] { ApiScopes.VideosRead } }));
        Assert.Contains("at least one", await Refused(new { name = "x", scopes = Array.Empty<string>() }));
        Assert.Contains("100 characters", await Refused(new { name = new string('n', 101), scopes = new[] { ApiScopes.VideosRead } }));
        await owner.CreateKeyAsync("one", ApiScopes.VideosRead);
        await owner.CreateKeyAsync("two", ApiScopes.VideosRead);
        Assert.Contains("2 API keys", await Refused(new { name = "three", scopes = new[] { ApiScopes.VideosRead } }));
        Assert.Equal(2, (await (await owner.GetAsync("/api/v1/keys")).ReadJsonAsync()).GetArrayLength());
    }

    [Fact]
    public async Task A_keys_event_stream_shares_the_accounts_cap_and_closes_when_the_key_is_revoked()
    {
        await using var api = stack.NewApi(new Dictionary<string, string> { ["Events:MaxStreamsPerUser"] = "1" });
        using var owner = await api.RegisterAsync();
        var created = await owner.CreateKeyAsync("events", ApiScopes.VideosRead);
        using var client = api.WithKey(created.GetProperty("key").GetString()!);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var bySession = await owner.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, bySession.StatusCode);
        // The session holds the account's one stream: the key has no place of its own.
        using (var refused = await client.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token))
            await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        bySession.Dispose();

        var byKey = await Eventually.ValueAsync(() => client.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token),
            r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(10), r => $"the key's stream never opened: {r?.StatusCode}");
        using var reader = new StreamReader(await byKey.Content.ReadAsStreamAsync(timeout.Token));
        Assert.Equal("event: ready", await reader.ReadLineAsync(timeout.Token));
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/v1/keys/{created.GetProperty("id").GetString()}")).StatusCode);
        var closing = Task.Run(async () => { while (await reader.ReadLineAsync(timeout.Token) is not null) { } }, timeout.Token);
        Assert.Same(closing, await Task.WhenAny(closing, Task.Delay(TimeSpan.FromSeconds(10), timeout.Token)));
        byKey.Dispose();
    }

    private static async Task<DateTimeOffset?> LastUsedAsync(HttpClient owner)
    {
        var key = Assert.Single((await (await owner.GetAsync("/api/v1/keys")).ReadJsonAsync()).EnumerateArray());
        return key.GetProperty("lastUsedAt").ValueKind == JsonValueKind.Null ? null : key.GetProperty("lastUsedAt").GetDateTimeOffset();
    }
}

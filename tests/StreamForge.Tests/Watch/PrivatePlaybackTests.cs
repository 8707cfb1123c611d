using Npgsql;
using StreamForge.Core.Playback;
using StreamForge.Core.Storage;
using StreamForge.Tests.Processing;

namespace StreamForge.Tests.Watch;

/// <summary>
/// Private videos end to end with the real parts: an API host on a real port, a worker, the S3 server, and nginx
/// (scripts/cdn.mjs) checking playback tokens with secure_link and fetching from the API's origin route.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class PrivatePlaybackTests(StackFixture stack) : IAsyncLifetime
{
    private ApiFactory _api = null!;
    private ApiCdn? _cdn;
    private WorkerProcess _worker = null!;
    private readonly HttpClient _http = new();
    private string _apiUrl = "";

    public async Task InitializeAsync()
    {
        var port = ApiCdn.FreePort();
        _apiUrl = $"http://127.0.0.1:{port}";
        // Without nginx the private media URLs fall back to the API's own origin route (what the tests then check).
        if (stack.CdnUrl is not null) _cdn = await ApiCdn.StartAsync(stack, port);
        _api = stack.NewApi(new Dictionary<string, string> { ["Playback:CdnUrl"] = _cdn?.CdnUrl ?? "", ["App:PublicUrl"] = _apiUrl });
        _api.UseKestrel(port);
        _api.StartServer();
        _worker = WorkerProcess.Start(stack, _api.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _worker.DisposeAsync();
        await _api.DisposeAsync();
        if (_cdn is not null) await _cdn.DisposeAsync();
    }

    private string Secret => stack.Env["PLAYBACK_TOKEN_SECRET"];

    private async Task<(HttpClient Owner, Guid Id, JsonElement Video)> ReadyVideoAsync(string visibility)
    {
        var owner = await _api.RegisterAsync();
        var id = await VideoFlow.UploadAsync(owner, await Clips.GenerateAsync(320, 240, 2, name: $"{visibility}.mp4"), visibility: visibility);
        var video = await VideoFlow.WaitForFinalAsync(owner, id, diagnostics: () => _worker.Log);
        Assert.True(video.GetProperty("status").GetString() == "ready", video.ToString());
        Assert.Equal(visibility, video.GetProperty("visibility").GetString());
        return (owner, id, video);
    }

    /// <summary>The first video segment's URL, relative to the manifest as the player resolves it.</summary>
    private async Task<string> FirstSegmentAsync(string manifestUrl)
    {
        using var response = await _http.GetAsync(manifestUrl);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {manifestUrl}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var manifest = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return manifestUrl[..(manifestUrl.LastIndexOf('/') + 1)] + manifest.GetProperty("video")[0].GetProperty("segments")[0].GetProperty("url").GetString();
    }

    /// <summary>"{base}/p/{token}/private/…" with another token.</summary>
    private static string WithToken(string url, string token) =>
        System.Text.RegularExpressions.Regex.Replace(url, "/p/[^/]*/private/", $"/p/{token}/private/");

    private string AtOrigin(string url) => _cdn is null ? url : _apiUrl + MediaUrls.MediaRoute + url[_cdn.CdnUrl.Length..];

    private async Task<HttpStatusCode> StatusAsync(string url)
    {
        using var response = await _http.GetAsync(url);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_private_segment_needs_a_valid_token_at_the_cdn_and_at_the_origin()
    {
        var (_, id, video) = await ReadyVideoAsync("private");
        // The first processing already wrote under private/: nothing of it was ever anonymously readable.
        Assert.NotEmpty(await StoredObjects.ListAsync(stack, StorageKeys.MediaPrefix(id, mediaPrivate: true)));
        Assert.Empty(await StoredObjects.ListAsync(stack, StorageKeys.MediaPrefix(id)));
        var manifestUrl = video.GetProperty("manifestUrl").GetString()!;
        Assert.Contains("/p/", manifestUrl);
        if (_cdn is not null) Assert.StartsWith(_cdn.CdnUrl + "/p/", manifestUrl);

        var segment = await FirstSegmentAsync(manifestUrl);
        var key = segment[(segment.IndexOf("/private/", StringComparison.Ordinal) + 1)..];
        var version = int.Parse(System.Text.RegularExpressions.Regex.Match(key, @"/v(\d+)/").Groups[1].Value);
        var now = DateTimeOffset.UtcNow;
        var expired = PlaybackTokens.Create(id, version, null, now.AddSeconds(-5), Secret);
        var otherVideo = PlaybackTokens.Create(Guid.NewGuid(), version, null, now.AddMinutes(5), Secret);
        var valid = PlaybackTokens.Create(id, version, null, now.AddMinutes(5), Secret);
        var tampered = valid[..^3] + (valid[^3] == 'A' ? "B" : "A") + valid[^2..];

        foreach (var url in new[] { segment, AtOrigin(segment) }.Distinct())
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(url));
            // An empty token segment: nginx refuses the path (403); the API has no such route (404).
            Assert.True(await StatusAsync(WithToken(url, "")) is HttpStatusCode.Forbidden or HttpStatusCode.NotFound);
            Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(WithToken(url, "none")));
            Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(WithToken(url, expired)));
            Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(WithToken(url, otherVideo)));
            Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(WithToken(url, tampered)));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(WithToken(url, valid)));
        }

        // The origin route streams ranges and answers every origin (players fetch cross-origin).
        using (var ranged = new HttpRequestMessage(HttpMethod.Get, AtOrigin(segment)))
        {
            ranged.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 99);
            using var partial = await _http.SendAsync(ranged);
            Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
            Assert.Equal(100, (await partial.Content.ReadAsByteArrayAsync()).Length);
            Assert.Equal("*", partial.Headers.GetValues("Access-Control-Allow-Origin").Single());
            Assert.Contains("immutable", partial.Headers.CacheControl?.ToString());
        }

        // No token at all: the plain storage path of the key is refused, by the S3 server and through the CDN.
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(StoredObjects.OriginUrl(stack, key)));
        if (_cdn is not null)
        {
            Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync($"{_cdn.CdnUrl}/{key}"));

            // Two viewers with different tokens share one cached copy.
            var viewerA = WithToken(segment, PlaybackTokens.Create(id, version, Guid.NewGuid(), now.AddMinutes(5), Secret));
            var viewerB = WithToken(segment, PlaybackTokens.Create(id, version, Guid.NewGuid(), now.AddMinutes(6), Secret));
            using var first = await _http.GetAsync(viewerA);
            using var second = await _http.GetAsync(viewerB);
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
            Assert.Equal("HIT", second.Headers.GetValues("X-Cache-Status").Single());
            Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await second.Content.ReadAsByteArrayAsync());
            Assert.NotEqual(viewerA, viewerB);
        }
    }

    [Fact]
    public async Task Making_a_video_private_moves_its_media_and_back()
    {
        var (owner, id, video) = await ReadyVideoAsync("public");
        var publicManifest = video.GetProperty("manifestUrl").GetString()!;
        Assert.DoesNotContain("/p/", publicManifest);
        var publicKeys = (await StoredObjects.ListAsync(stack, StorageKeys.MediaPrefix(id))).Keys.ToList();
        Assert.Contains(publicKeys, k => k.EndsWith("/manifest.json", StringComparison.Ordinal));
        var manifestKey = publicKeys.Single(k => k.EndsWith("/manifest.json", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(StoredObjects.OriginUrl(stack, manifestKey)));

        var patched = await owner.PatchAsJsonAsync($"/api/v1/videos/{id}", new { visibility = "private" });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("private", (await patched.ReadJsonAsync()).GetProperty("visibility").GetString());
        await Eventually.HoldsAsync(async () => (await StoredObjects.ListAsync(stack, StorageKeys.MediaPrefix(id))).Count == 0,
            TimeSpan.FromSeconds(60), () => $"media/{id}/ still holds objects\n{_worker.Log}");
        var privateKeys = (await StoredObjects.ListAsync(stack, StorageKeys.MediaPrefix(id, mediaPrivate: true))).Keys.ToList();
        Assert.Equal(publicKeys.Select(k => k["media/".Length..]).Order(), privateKeys.Select(k => k["private/".Length..]).Order());
        // The old public address serves nothing now.
        Assert.True(await StatusAsync(StoredObjects.OriginUrl(stack, manifestKey)) is HttpStatusCode.NotFound or HttpStatusCode.Forbidden);

        // It still plays, through a token URL.
        var now = await (await owner.GetAsync($"/api/v1/videos/{id}")).ReadJsonAsync();
        var privateManifest = now.GetProperty("manifestUrl").GetString()!;
        Assert.Contains($"/p/", privateManifest);
        Assert.Contains($"/private/{id}/", privateManifest);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(await FirstSegmentAsync(privateManifest)));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(await FirstSegmentAsync(AtOrigin(privateManifest))));
        var poster = now.GetProperty("posterUrl").GetString()!;
        Assert.Contains("/p/", poster);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(poster));

        // And back: public media, plain URLs again.
        Assert.Equal(HttpStatusCode.OK, (await owner.PatchAsJsonAsync($"/api/v1/videos/{id}", new { visibility = "public" })).StatusCode);
        await Eventually.HoldsAsync(async () => (await StoredObjects.ListAsync(stack, StorageKeys.MediaPrefix(id, mediaPrivate: true))).Count == 0,
            TimeSpan.FromSeconds(60), () => $"private/{id}/ still holds objects\n{_worker.Log}");
        Assert.Equal(publicKeys.Order(), (await StoredObjects.ListAsync(stack, StorageKeys.MediaPrefix(id))).Keys.Order());
        var back = await (await owner.GetAsync($"/api/v1/videos/{id}")).ReadJsonAsync();
        var manifestAgain = back.GetProperty("manifestUrl").GetString()!;
        Assert.DoesNotContain("/p/", manifestAgain);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(await FirstSegmentAsync(manifestAgain)));
    }

    [Fact]
    public async Task Strangers_are_refused_a_private_video_and_share_links_open_it()
    {
        var (owner, id, _) = await ReadyVideoAsync("private");
        var anonymous = _api.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false, BaseAddress = new Uri(_apiUrl) });
        var stranger = await _api.RegisterAsync();
        foreach (var client in new[] { anonymous, stranger })
        {
            using var refused = await client.GetAsync($"/api/v1/watch/{id}");
            await refused.AssertProblemAsync(HttpStatusCode.Forbidden);
            var problem = await refused.ReadJsonAsync();
            Assert.EndsWith("/video-private", problem.GetProperty("type").GetString());
            Assert.Equal("This video is private", problem.GetProperty("title").GetString());
        }

        var mine = await (await owner.GetAsync($"/api/v1/watch/{id}")).ReadJsonAsync();
        Assert.True(mine.GetProperty("isOwner").GetBoolean());
        Assert.True(mine.GetProperty("playable").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(await FirstSegmentAsync(mine.GetProperty("manifestUrl").GetString()!)));
        Assert.Contains("/p/", mine.GetProperty("dashUrl").GetString());
        Assert.Contains("/p/", mine.GetProperty("hlsUrl").GetString());
        var admin = await (await (await _api.LoginAdminAsync(stack)).GetAsync($"/api/v1/watch/{id}")).ReadJsonAsync();
        Assert.False(admin.GetProperty("isOwner").GetBoolean());

        var created = await owner.PostAsJsonAsync($"/api/v1/videos/{id}/share-links", new { expiresInHours = 2 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var link = await created.ReadJsonAsync();
        var token = link.GetProperty("token").GetString()!;
        Assert.StartsWith("sh_", token);
        Assert.Equal($"{_apiUrl}/watch/{id}?share={token}", link.GetProperty("url").GetString());
        var shared = await anonymous.GetAsync($"/api/v1/watch/{id}?share={token}");
        Assert.Equal(HttpStatusCode.OK, shared.StatusCode);
        var view = await shared.ReadJsonAsync();
        Assert.False(view.GetProperty("isOwner").GetBoolean());
        var sharedManifest = view.GetProperty("manifestUrl").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(await FirstSegmentAsync(sharedManifest)));
        // The media token never outlives the link.
        var expires = long.Parse(System.Text.RegularExpressions.Regex.Match(sharedManifest, @"/p/(\d+)\.").Groups[1].Value);
        Assert.True(expires <= DateTimeOffset.Parse(link.GetProperty("expiresAt").GetString()!).ToUnixTimeSeconds());
        // The link opens its own video only.
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/v1/watch/{Guid.NewGuid()}?share={token}")).StatusCode);

        var list = await (await owner.GetAsync($"/api/v1/videos/{id}/share-links")).ReadJsonAsync();
        Assert.Equal(link.GetProperty("id").GetString(), list[0].GetProperty("id").GetString());
        Assert.False(list[0].TryGetProperty("token", out _));

        // Revoked: refused again.
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/v1/videos/{id}/share-links/{link.GetProperty("id").GetString()}")).StatusCode);
        await (await anonymous.GetAsync($"/api/v1/watch/{id}?share={token}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.DeleteAsync($"/api/v1/videos/{id}/share-links/{link.GetProperty("id").GetString()}")).StatusCode);

        // Expired: refused too.
        var second = await (await owner.PostAsJsonAsync($"/api/v1/videos/{id}/share-links", new { })).ReadJsonAsync();
        Assert.True(DateTimeOffset.Parse(second.GetProperty("expiresAt").GetString()!) > DateTimeOffset.UtcNow.AddHours(167));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/v1/watch/{id}?share={second.GetProperty("token").GetString()}")).StatusCode);
        await using (var conn = new NpgsqlConnection(_api.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("UPDATE share_links SET expires_at = now() - interval '1 second' WHERE id = @id", conn);
            cmd.Parameters.AddWithValue("id", Guid.Parse(second.GetProperty("id").GetString()!));
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        }
        await (await anonymous.GetAsync($"/api/v1/watch/{id}?share={second.GetProperty("token").GetString()}")).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_video_made_private_before_its_upload_completes_is_processed_straight_into_private()
    {
        var owner = await _api.RegisterAsync();
        var clip = await Clips.GenerateAsync(320, 240, 2, name: "late-private.mp4");
        var bytes = await File.ReadAllBytesAsync(clip);
        var created = await owner.CreateUploadAsync(bytes.Length, "late-private.mp4");
        var id = created.GetProperty("videoId").GetGuid();
        Assert.Equal("unlisted", (await (await owner.GetAsync($"/api/v1/videos/{id}")).ReadJsonAsync()).GetProperty("visibility").GetString());
        Assert.Equal(HttpStatusCode.OK, (await owner.PatchAsJsonAsync($"/api/v1/videos/{id}", new { visibility = "private" })).StatusCode);
        await TestApi.PutToStorageAsync(_http, created.GetProperty("url").GetString()!, bytes);
        Assert.Equal(HttpStatusCode.Accepted, (await owner.PostAsync($"/api/v1/uploads/{id}/complete", null)).StatusCode);
        var video = await VideoFlow.WaitForFinalAsync(owner, id, diagnostics: () => _worker.Log);
        Assert.Equal("ready", video.GetProperty("status").GetString());
        Assert.NotEmpty(await StoredObjects.ListAsync(stack, StorageKeys.MediaPrefix(id, mediaPrivate: true)));
        Assert.Empty(await StoredObjects.ListAsync(stack, StorageKeys.MediaPrefix(id)));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(await FirstSegmentAsync(video.GetProperty("manifestUrl").GetString()!)));
    }

    [Fact]
    public async Task Only_public_videos_are_listed_and_unlisted_ones_play_by_link()
    {
        var (_, publicId, _) = await ReadyVideoAsync("public");
        var (_, unlistedId, _) = await ReadyVideoAsync("unlisted");
        var (_, privateId, _) = await ReadyVideoAsync("private");
        var anonymous = _api.CreateClient();
        var page = await (await anonymous.GetAsync("/api/v1/watch?pageSize=50")).ReadJsonAsync();
        var ids = page.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("id").GetGuid()).ToList();
        Assert.Contains(publicId, ids);
        Assert.DoesNotContain(unlistedId, ids);
        Assert.DoesNotContain(privateId, ids);
        Assert.All(page.GetProperty("items").EnumerateArray(), v => Assert.Equal("public", v.GetProperty("visibility").GetString()));

        var unlisted = await (await anonymous.GetAsync($"/api/v1/watch/{unlistedId}")).ReadJsonAsync();
        Assert.Equal("unlisted", unlisted.GetProperty("visibility").GetString());
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(await FirstSegmentAsync(unlisted.GetProperty("manifestUrl").GetString()!)));
    }
}

using System.Buffers.Binary;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;

namespace StreamForge.Tests.Uploads;

/// <summary>
/// Upload links for third parties: a du_ token drives the same resumable protocol, for one video, charged to the
/// link's owner, and reaches nothing else.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class DirectUploadTests(StackFixture stack) : WorkerTestBase(stack)
{
    private const long Quota = 500_000_000;

    [Fact]
    public async Task A_multipart_upload_through_a_link_is_processed_and_belongs_to_the_owner()
    {
        var owner = await Api.RegisterAsync();
        var ownerId = (await (await owner.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("id").GetGuid();
        var link = await CreateLinkAsync(owner, new { title = "From the partner", passthrough = "order-42", maxQuality = 360 });
        var token = Client(link.GetProperty("token").GetString()!);
        Assert.StartsWith("du_", link.GetProperty("token").GetString());
        Assert.EndsWith("/u/" + link.GetProperty("token").GetString(), link.GetProperty("uploadUrl").GetString());

        // A small real clip followed by an MP4 "free" box: valid for ffmpeg, and large enough for two parts.
        var clip = await File.ReadAllBytesAsync(await Clips.GenerateAsync(320, 240, 2, name: "direct-upload.mp4"));
        var bytes = WithFreeBox(clip, 6 * 1024 * 1024);
        var created = await CreateUploadAsync(token, bytes.Length, title: "not this title");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var plan = await created.ReadJsonAsync();
        Assert.Equal("multipart", plan.GetProperty("mode").GetString());
        var videoId = plan.GetProperty("videoId").GetGuid();

        // Part 1, then a "reload": the status the token reads says what is left.
        var partSize = plan.GetProperty("partSize").GetInt64();
        await SendPartsAsync(token, videoId, bytes, partSize, 1);
        var status = await (await token.GetAsync($"/api/v1/uploads/{videoId}")).ReadJsonAsync();
        Assert.Equal([1], status.GetProperty("parts").EnumerateArray().Select(p => p.GetProperty("partNumber").GetInt32()));
        await SendPartsAsync(token, videoId, bytes, partSize, Enumerable.Range(2, plan.GetProperty("partCount").GetInt32() - 1).ToArray());
        var complete = await token.PostAsync($"/api/v1/uploads/{videoId}/complete", null);
        Assert.True(complete.StatusCode == HttpStatusCode.Accepted, await complete.Content.ReadAsStringAsync());

        var video = await VideoFlow.WaitForFinalAsync(owner, videoId, TimeSpan.FromSeconds(120), () => Worker.Log);
        Assert.Equal("ready", video.GetProperty("status").GetString());
        Assert.Equal(ownerId, video.GetProperty("ownerId").GetGuid());
        Assert.Equal("From the partner", video.GetProperty("title").GetString());
        Assert.Equal("order-42", video.GetProperty("passthrough").GetString());
        Assert.Equal(360, video.GetProperty("maxQuality").GetInt32());
        var me = await (await owner.GetAsync("/api/v1/me")).ReadJsonAsync();
        Assert.Equal(bytes.Length, me.GetProperty("storageUsedBytes").GetInt64());

        // Done: the token still reads its upload's state, but never creates again.
        var after = await (await token.GetAsync($"/api/v1/uploads/{videoId}")).ReadJsonAsync();
        Assert.Equal("completed", after.GetProperty("state").GetString());
        var again = await CreateUploadAsync(token, 1000);
        Assert.Contains("already used", await again.AssertProblemAsync(HttpStatusCode.Conflict));
        var listed = (await (await owner.GetAsync("/api/v1/direct-uploads")).ReadJsonAsync()).EnumerateArray().Single();
        Assert.Equal("used", listed.GetProperty("status").GetString());
        Assert.Equal(videoId, listed.GetProperty("videoId").GetGuid());
        Assert.False(listed.TryGetProperty("token", out _));
    }

    [Fact]
    public async Task Two_racing_creates_with_one_link_make_one_video()
    {
        var owner = await Api.RegisterAsync();
        var token = Client((await CreateLinkAsync(owner, new { })).GetProperty("token").GetString()!);
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => CreateUploadAsync(token, 1000)));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.Created), a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
        Assert.Equal(1, (await (await owner.GetAsync("/api/v1/videos")).ReadJsonAsync()).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task An_expired_a_revoked_and_an_unknown_link_are_refused_with_a_readable_problem()
    {
        var owner = await Api.RegisterAsync();
        var link = await CreateLinkAsync(owner, new { expiresInSeconds = 60 });
        await ExecuteAsync("UPDATE direct_uploads SET expires_at = now() - interval '1 second' WHERE id = @id", link.GetProperty("id").GetGuid());
        var expired = await CreateUploadAsync(Client(link.GetProperty("token").GetString()!), 1000);
        Assert.Contains("expired", await expired.AssertProblemAsync(HttpStatusCode.Gone));
        var listed = (await (await owner.GetAsync("/api/v1/direct-uploads")).ReadJsonAsync()).EnumerateArray().Single();
        Assert.Equal("expired", listed.GetProperty("status").GetString());

        var revoked = await CreateLinkAsync(owner, new { });
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/v1/direct-uploads/{revoked.GetProperty("id").GetGuid()}")).StatusCode);
        var afterRevoke = await CreateUploadAsync(Client(revoked.GetProperty("token").GetString()!), 1000);
        Assert.Contains("not valid", await afterRevoke.AssertProblemAsync(HttpStatusCode.Unauthorized));
        var unknown = await CreateUploadAsync(Client("du_" + new string('A', 43)), 1000);
        await unknown.AssertProblemAsync(HttpStatusCode.Unauthorized);

        // A used link cannot be revoked (its video is deleted instead).
        var used = await CreateLinkAsync(owner, new { });
        Assert.Equal(HttpStatusCode.Created, (await CreateUploadAsync(Client(used.GetProperty("token").GetString()!), 1000)).StatusCode);
        await (await owner.DeleteAsync($"/api/v1/direct-uploads/{used.GetProperty("id").GetGuid()}")).AssertProblemAsync(HttpStatusCode.Conflict);
        // Another account neither sees nor revokes it.
        var other = await Api.RegisterAsync();
        Assert.Equal(0, (await (await other.GetAsync("/api/v1/direct-uploads")).ReadJsonAsync()).GetArrayLength());
        await (await other.DeleteAsync($"/api/v1/direct-uploads/{link.GetProperty("id").GetGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_owner_is_charged_and_an_upload_past_the_owners_quota_is_refused()
    {
        var owner = await Api.RegisterAsync();
        var ownerId = (await (await owner.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("id").GetGuid();
        await ExecuteAsync("UPDATE users SET storage_used_bytes = 499000000 WHERE id = @id", ownerId);
        var link = await CreateLinkAsync(owner, new { });
        var token = Client(link.GetProperty("token").GetString()!);

        var tooBig = await CreateUploadAsync(token, 1_000_001);
        Assert.Contains("1,000,001", await tooBig.AssertProblemAsync(HttpStatusCode.Forbidden));
        // The refusal gave the link back: an upload that fits still works, and is charged to the owner.
        Assert.Equal(HttpStatusCode.Created, (await CreateUploadAsync(token, 1_000_000)).StatusCode);
        var me = await (await owner.GetAsync("/api/v1/me")).ReadJsonAsync();
        Assert.Equal(Quota, me.GetProperty("storageUsedBytes").GetInt64());
    }

    [Fact]
    public async Task A_token_reaches_only_its_own_upload()
    {
        var owner = await Api.RegisterAsync();
        var mine = (await owner.CreateUploadAsync(12_000_000)).GetProperty("videoId").GetGuid();
        var token = Client((await CreateLinkAsync(owner, new { })).GetProperty("token").GetString()!);

        // Before and after it created its upload, the owner's other upload is not there for the token.
        await AssertCannotTouchAsync(token, mine);
        Assert.Equal(HttpStatusCode.Created, (await CreateUploadAsync(token, 12_000_000)).StatusCode);
        await AssertCannotTouchAsync(token, mine);
        Assert.Equal("active", (await (await owner.GetAsync($"/api/v1/uploads/{mine}")).ReadJsonAsync()).GetProperty("state").GetString());

        foreach (var path in new[] { "/api/v1/videos", $"/api/v1/videos/{mine}", "/api/v1/me", "/api/v1/direct-uploads", "/api/v1/admin/users" })
            await (await token.GetAsync(path)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await token.PostAsJsonAsync("/api/v1/direct-uploads", new { })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await token.DeleteAsync($"/api/v1/videos/{mine}")).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Every_route_but_the_upload_protocol_refuses_a_token()
    {
        var owner = await Api.RegisterAsync();
        var token = Client((await CreateLinkAsync(owner, new { })).GetProperty("token").GetString()!);
        var endpoints = Api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var open = endpoints.Where(e => e.Metadata.GetMetadata<StreamForge.Api.DirectUploads.DirectUploadMetadata>() is not null)
            .Select(e => e.RoutePattern.RawText!).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["/api/v1/uploads/", "/api/v1/uploads/{videoId:guid}", "/api/v1/uploads/{videoId:guid}/complete",
            "/api/v1/uploads/{videoId:guid}/parts/sign", "/api/v1/uploads/{videoId:guid}/parts/{partNumber:int}"], open);

        var failures = new List<string>();
        foreach (var endpoint in endpoints.Where(e => e.Metadata.GetMetadata<StreamForge.Api.DirectUploads.DirectUploadMetadata>() is null))
        foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
        {
            var path = System.Text.RegularExpressions.Regex.Replace(endpoint.RoutePattern.RawText!, @"\{([^}:]+)(:[^}]+)?\}",
                m => m.Groups[2].Value switch { ":guid" => Guid.NewGuid().ToString(), ":int" => "1", _ => "x" });
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "GET" ? null : JsonContent.Create(new { }) };
            using var response = await token.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Forbidden) failures.Add($"{method} {path}: {(int)response.StatusCode}");
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task A_link_bound_to_an_origin_refuses_other_origins_and_cors_stays_closed_to_cookies()
    {
        var owner = await Api.RegisterAsync();
        var link = await CreateLinkAsync(owner, new { allowedOrigin = "https://Partner.example/" });
        var token = Client(link.GetProperty("token").GetString()!);
        var listed = (await (await owner.GetAsync("/api/v1/direct-uploads")).ReadJsonAsync()).EnumerateArray().Single();
        Assert.Equal("https://partner.example", listed.GetProperty("allowedOrigin").GetString());

        var wrong = await CreateUploadAsync(token, 1000, origin: "https://evil.example");
        Assert.Contains("https://partner.example", await wrong.AssertProblemAsync(HttpStatusCode.Forbidden));
        var right = await CreateUploadAsync(token, 1000, origin: "https://partner.example");
        Assert.Equal(HttpStatusCode.Created, right.StatusCode);
        Assert.Equal("*", right.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(right.Headers.Contains("Access-Control-Allow-Credentials"));

        // Any page may preflight the upload routes (a preflight has no Authorization), never with credentials.
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/uploads");
        preflight.Headers.Add("Origin", "https://anyone.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        var answer = await Api.CreateClient().SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        Assert.Equal("*", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("Authorization", answer.Headers.GetValues("Access-Control-Allow-Headers").Single());
        Assert.False(answer.Headers.Contains("Access-Control-Allow-Credentials"));
        // A signed-in caller's answer is not shared with another origin, nor is any route outside the upload protocol.
        using var session = new HttpRequestMessage(HttpMethod.Get, "/api/v1/videos");
        session.Headers.Add("Origin", "https://anyone.example");
        Assert.False((await owner.SendAsync(session)).Headers.Contains("Access-Control-Allow-Origin"));
        using var sessionUpload = new HttpRequestMessage(HttpMethod.Post, "/api/v1/uploads") { Content = JsonContent.Create(new { fileName = "a.mp4", size = 10 }) };
        sessionUpload.Headers.Add("Origin", "https://anyone.example");
        Assert.False((await owner.SendAsync(sessionUpload)).Headers.Contains("Access-Control-Allow-Origin"));
        using var otherPreflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/videos");
        otherPreflight.Headers.Add("Origin", "https://anyone.example");
        otherPreflight.Headers.Add("Access-Control-Request-Method", "GET");
        Assert.False((await Api.CreateClient().SendAsync(otherPreflight)).Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Bad_link_requests_are_refused_field_by_field_and_open_links_are_capped()
    {
        var owner = await Api.RegisterAsync();
        var bad = await owner.PostAsJsonAsync("/api/v1/direct-uploads", new
        {
            title = "", maxQuality = 999, passthrough = new string('x', 256), allowedOrigin = "https://partner.example/path", expiresInSeconds = 8 * 86400,
        });
        await bad.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = (await bad.ReadJsonAsync()).GetProperty("errors");
        foreach (var field in new[] { "title", "maxQuality", "passthrough", "allowedOrigin", "expiresInSeconds" })
            Assert.True(errors.TryGetProperty(field, out _), field);
        var badPassthrough = await owner.PostAsJsonAsync("/api/v1/uploads", new { fileName = "a.mp4", size = 10, passthrough = new string('x', 256) });
        Assert.True((await badPassthrough.ReadJsonAsync()).GetProperty("errors").TryGetProperty("passthrough", out _));
        var withPassthrough = await owner.PostAsJsonAsync("/api/v1/uploads", new { fileName = "a.mp4", size = 10, passthrough = "ref-7" });
        var video = await (await owner.GetAsync($"/api/v1/videos/{(await withPassthrough.ReadJsonAsync()).GetProperty("videoId").GetGuid()}")).ReadJsonAsync();
        Assert.Equal("ref-7", video.GetProperty("passthrough").GetString());

        for (var i = 0; i < 20; i++) await CreateLinkAsync(owner, new { });
        var over = await owner.PostAsJsonAsync("/api/v1/direct-uploads", new { });
        Assert.Contains("unused upload links", await over.AssertProblemAsync(HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task Links_made_per_day_are_capped_even_when_they_expire_fast()
    {
        await using var api = Stack.NewApi(new Dictionary<string, string> { ["DirectUploads:MaxCreatedPerDay"] = "3" });
        var owner = await api.RegisterAsync();
        var ownerId = (await (await owner.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("id").GetGuid();
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Created, (await owner.PostAsJsonAsync("/api/v1/direct-uploads", new { })).StatusCode);
        // Expired links free their open slot, not the day's allowance.
        await using (var conn = new NpgsqlConnection(api.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("UPDATE direct_uploads SET expires_at = now() - interval '1 second' WHERE user_id = @id", conn);
            cmd.Parameters.AddWithValue("id", ownerId);
            Assert.Equal(3, await cmd.ExecuteNonQueryAsync());
        }
        var over = await owner.PostAsJsonAsync("/api/v1/direct-uploads", new { });
        Assert.Contains("24 hours", await over.AssertProblemAsync(HttpStatusCode.Conflict));
    }

    private static async Task AssertCannotTouchAsync(HttpClient token, Guid videoId)
    {
        await (await token.GetAsync($"/api/v1/uploads/{videoId}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await token.PostAsJsonAsync($"/api/v1/uploads/{videoId}/parts/sign", new { partNumbers = new[] { 1 } })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await token.PutAsJsonAsync($"/api/v1/uploads/{videoId}/parts/1", new { etag = "\"abc\"", size = 5242880 })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await token.PostAsync($"/api/v1/uploads/{videoId}/complete", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await token.DeleteAsync($"/api/v1/uploads/{videoId}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    private static async Task<JsonElement> CreateLinkAsync(HttpClient owner, object body)
    {
        var response = await owner.PostAsJsonAsync("/api/v1/direct-uploads", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.ReadJsonAsync();
    }

    private HttpClient Client(string token)
    {
        var client = Api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static Task<HttpResponseMessage> CreateUploadAsync(HttpClient client, long size, string? title = null, string? origin = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/uploads")
        {
            Content = JsonContent.Create(new { fileName = "partner.mp4", size, contentType = "video/mp4", title }),
        };
        if (origin is not null) request.Headers.Add("Origin", origin);
        return client.SendAsync(request);
    }

    private async Task SendPartsAsync(HttpClient token, Guid videoId, byte[] bytes, long partSize, params int[] parts)
    {
        foreach (var signed in await token.SignAsync(videoId, parts))
        {
            var n = signed.GetProperty("partNumber").GetInt32();
            var offset = (int)((n - 1) * partSize);
            var length = (int)Math.Min(partSize, bytes.Length - offset);
            var etag = await TestApi.PutToStorageAsync(Http, signed.GetProperty("url").GetString()!, bytes.AsMemory(offset, length));
            Assert.Equal(HttpStatusCode.NoContent, (await token.PutAsJsonAsync($"/api/v1/uploads/{videoId}/parts/{n}", new { etag, size = length })).StatusCode);
        }
    }

    /// <summary>Appends a top-level "free" box (ISO BMFF padding every reader skips).</summary>
    private static byte[] WithFreeBox(byte[] mp4, int boxSize)
    {
        var result = new byte[mp4.Length + boxSize];
        mp4.CopyTo(result, 0);
        BinaryPrimitives.WriteInt32BigEndian(result.AsSpan(mp4.Length), boxSize);
        "free"u8.CopyTo(result.AsSpan(mp4.Length + 4));
        return result;
    }

    private async Task ExecuteAsync(string sql, Guid id)
    {
        await using var conn = new NpgsqlConnection(Api.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.AddWithValue("id", id);
        Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
    }
}

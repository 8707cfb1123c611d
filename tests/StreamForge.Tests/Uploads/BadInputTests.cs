using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace StreamForge.Tests.Uploads;

/// <summary>Every kind of bad input is refused with problem+json and a useful detail, never stored, never a 500.</summary>
[Collection(StackCollection.Name)]
public sealed class BadInputTests(StackFixture stack) : IAsyncLifetime
{
    private readonly ApiFactory _api = stack.Api;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = await _api.RegisterAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string, HttpStatusCode, string> CreateBodies() => new()
    {
        { "missing size", """{"fileName":"a.mp4","contentType":"video/mp4"}""", HttpStatusCode.BadRequest, "size is required" },
        { "negative size", """{"fileName":"a.mp4","size":-5,"contentType":"video/mp4"}""", HttpStatusCode.BadRequest, "positive" },
        { "zero size", """{"fileName":"a.mp4","size":0}""", HttpStatusCode.BadRequest, "positive" },
        { "size over the file limit", """{"fileName":"a.mp4","size":50000000001}""", HttpStatusCode.RequestEntityTooLarge, "limit" },
        { "size over the quota", """{"fileName":"a.mp4","size":500000001}""", HttpStatusCode.Forbidden, "free" },
        { "size as text", """{"fileName":"a.mp4","size":"big"}""", HttpStatusCode.BadRequest, "JSON" },
        { "malformed JSON", """{"fileName":"a.mp4", size: 10""", HttpStatusCode.BadRequest, "JSON" },
        { "title too long", $$"""{"fileName":"a.mp4","size":10,"title":"{{new string('t', 201)}}"}""", HttpStatusCode.BadRequest, "200 characters" },
        { "title with control characters", """{"fileName":"a.mp4","size":10,"title":"bell\u0007"}""", HttpStatusCode.BadRequest, "control" },
        { "file name with a path", """{"fileName":"../../etc/passwd","size":10}""", HttpStatusCode.BadRequest, "path separators" },
        { "file name with a backslash", """{"fileName":"C:\\x\\a.mp4","size":10}""", HttpStatusCode.BadRequest, "path separators" },
        { "file name too long", $$"""{"fileName":"{{new string('f', 256)}}.mp4","size":10}""", HttpStatusCode.BadRequest, "255" },
        { "file name with a newline", """{"fileName":"a\nb.mp4","size":10}""", HttpStatusCode.BadRequest, "control" },
        { "empty file name", """{"fileName":"","size":10}""", HttpStatusCode.BadRequest, "fileName" },
        { "not a video type", """{"fileName":"a.txt","size":10,"contentType":"text/plain"}""", HttpStatusCode.BadRequest, "video" },
        { "unknown quality", """{"fileName":"a.mp4","size":10,"maxQuality":999}""", HttpStatusCode.BadRequest, "maxQuality" },
    };

    [Theory]
    [MemberData(nameof(CreateBodies))]
    public async Task Create_refuses(string name, string json, HttpStatusCode status, string expected)
    {
        var before = await VideoCountAsync();
        var response = await _client.PostAsync("/api/v1/uploads", new StringContent(json, Encoding.UTF8, "application/json"));
        var detail = await response.AssertProblemAsync(status);
        Assert.True(detail.Contains(expected, StringComparison.OrdinalIgnoreCase), $"{name}: '{detail}' lacks '{expected}'");
        Assert.Equal(before, await VideoCountAsync());
    }

    [Fact]
    public async Task Signing_refuses_out_of_range_repeated_empty_and_oversized_batches()
    {
        var videoId = (await _client.CreateUploadAsync(12_000_000)).GetProperty("videoId").GetGuid(); // 3 parts of 5 MiB
        foreach (var (numbers, expected) in new (int[], string)[]
                 {
                     ([0], "out of range"), ([4], "out of range"), ([-1], "out of range"), ([1, 1], "repeat"), ([], "at least one"),
                     (Enumerable.Range(1, 101).ToArray(), "at most"),
                 })
        {
            var response = await _client.PostAsJsonAsync($"/api/v1/uploads/{videoId}/parts/sign", new { partNumbers = numbers });
            Assert.Contains(expected, await response.AssertProblemAsync(HttpStatusCode.BadRequest));
        }
    }

    [Fact]
    public async Task Recording_refuses_unsigned_parts_bad_etags_wrong_sizes_and_out_of_range_numbers()
    {
        var videoId = (await _client.CreateUploadAsync(12_000_000)).GetProperty("videoId").GetGuid();
        const int full = 5 * 1024 * 1024;
        var unsigned = await _client.PutAsJsonAsync($"/api/v1/uploads/{videoId}/parts/2", new { etag = "\"0123abcd\"", size = full });
        Assert.Contains("never signed", await unsigned.AssertProblemAsync(HttpStatusCode.BadRequest));

        await _client.SignAsync(videoId, 1);
        var outOfRange = await _client.PutAsJsonAsync($"/api/v1/uploads/{videoId}/parts/9", new { etag = "\"0123abcd\"", size = full });
        Assert.Contains("out of range", await outOfRange.AssertProblemAsync(HttpStatusCode.BadRequest));
        var badEtag = await _client.PutAsJsonAsync($"/api/v1/uploads/{videoId}/parts/1", new { etag = "<script>", size = full });
        Assert.Contains("etag", await badEtag.AssertProblemAsync(HttpStatusCode.BadRequest));
        var wrongSize = await _client.PutAsJsonAsync($"/api/v1/uploads/{videoId}/parts/1", new { etag = "\"0123abcd\"", size = 10 });
        Assert.Contains("must be", await wrongSize.AssertProblemAsync(HttpStatusCode.BadRequest));
        var status = await (await _client.GetAsync($"/api/v1/uploads/{videoId}")).ReadJsonAsync();
        Assert.Equal(0, status.GetProperty("parts").GetArrayLength());
    }

    [Fact]
    public async Task Completing_with_missing_parts_names_them()
    {
        var videoId = (await _client.CreateUploadAsync(12_000_000)).GetProperty("videoId").GetGuid();
        var response = await _client.PostAsync($"/api/v1/uploads/{videoId}/complete", null);
        Assert.Contains("3 of 3 parts", await response.AssertProblemAsync(HttpStatusCode.Conflict));
        Assert.Contains("missingParts", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Completing_a_single_upload_before_its_bytes_arrived_is_a_conflict()
    {
        var videoId = (await _client.CreateUploadAsync(1000)).GetProperty("videoId").GetGuid();
        var response = await _client.PostAsync($"/api/v1/uploads/{videoId}/complete", null);
        Assert.Contains("No file", await response.AssertProblemAsync(HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task Expired_sessions_answer_410_and_the_cleanup_releases_their_quota()
    {
        // The API's clock is driven by the test; the short idle expiry keeps the access token (real-time JWT checks) valid.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var api = stack.NewApi(new Dictionary<string, string> { ["Uploads:SessionIdleExpiry"] = "00:01:00" }, clock: clock);
        var client = await api.RegisterAsync();
        var videoId = (await client.CreateUploadAsync(12_000_000)).GetProperty("videoId").GetGuid();
        clock.Advance(TimeSpan.FromSeconds(61));
        var sign = await client.PostAsJsonAsync($"/api/v1/uploads/{videoId}/parts/sign", new { partNumbers = new[] { 1 } });
        Assert.Contains("expired", await sign.AssertProblemAsync(HttpStatusCode.Gone));
        await (await client.PostAsync($"/api/v1/uploads/{videoId}/complete", null)).AssertProblemAsync(HttpStatusCode.Gone);
        var status = await (await client.GetAsync($"/api/v1/uploads/{videoId}")).ReadJsonAsync();
        Assert.Equal("expired", status.GetProperty("state").GetString());

        using (var scope = api.Services.CreateScope())
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<StreamForge.Core.Uploads.UploadExpiry>().ExpireIdleAsync(100, default));
        var me = await (await client.GetAsync("/api/v1/me")).ReadJsonAsync();
        Assert.Equal(0, me.GetProperty("storageUsedBytes").GetInt64());
        var video = await (await client.GetAsync($"/api/v1/videos/{videoId}")).ReadJsonAsync();
        Assert.Equal("failed", video.GetProperty("status").GetString());
        Assert.Contains("expired", video.GetProperty("lastError").GetString());
    }

    [Fact]
    public async Task Video_edits_and_listing_refuse_bad_values()
    {
        var videoId = (await _client.CreateUploadAsync(1000)).GetProperty("videoId").GetGuid();
        var longTitle = await _client.PatchAsJsonAsync($"/api/v1/videos/{videoId}", new { title = new string('x', 500) });
        Assert.Contains("200", await longTitle.AssertProblemAsync(HttpStatusCode.BadRequest));
        var empty = await _client.PatchAsJsonAsync($"/api/v1/videos/{videoId}", new { title = "  " });
        await empty.AssertProblemAsync(HttpStatusCode.BadRequest);
        var sort = await _client.GetAsync("/api/v1/videos?sort=drop_table");
        Assert.Contains("sort", await sort.AssertProblemAsync(HttpStatusCode.BadRequest));
        var notGuid = await _client.GetAsync("/api/v1/videos/not-a-guid");
        Assert.Equal(HttpStatusCode.NotFound, notGuid.StatusCode);
    }

    [Fact]
    public async Task Accounts_refuse_bad_credentials_with_problems()
    {
        var anonymous = _api.CreateClient();
        var badEmail = await anonymous.PostAsJsonAsync("/api/v1/auth/register", new { email = "not-an-email", password = "long enough" });
        Assert.Contains("email", await badEmail.AssertProblemAsync(HttpStatusCode.BadRequest));
        var shortPassword = await anonymous.PostAsJsonAsync("/api/v1/auth/register", new { email = "x@example.com", password = "short" });
        Assert.Contains("8 characters", await shortPassword.AssertProblemAsync(HttpStatusCode.BadRequest));
        var email = $"dup{Guid.NewGuid():N}@example.com";
        await _api.RegisterAsync(email);
        var duplicate = await anonymous.PostAsJsonAsync("/api/v1/auth/register", new { email = email.ToUpperInvariant(), password = "long enough" });
        await duplicate.AssertProblemAsync(HttpStatusCode.Conflict);
        var wrong = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "wrong password" });
        await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized);
        var malformed = await anonymous.PostAsync("/api/v1/auth/login", new StringContent("{", Encoding.UTF8, "application/json"));
        Assert.Contains("JSON", await malformed.AssertProblemAsync(HttpStatusCode.BadRequest));
    }

    private async Task<int> VideoCountAsync() =>
        (await (await _client.GetAsync("/api/v1/videos")).ReadJsonAsync()).GetProperty("total").GetInt32();
}

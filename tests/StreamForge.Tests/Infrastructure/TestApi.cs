using System.Net.Http.Headers;

namespace StreamForge.Tests.Infrastructure;

/// <summary>Small helpers over the real HTTP API; every call goes through the full pipeline.</summary>
public static class TestApi
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<HttpClient> RegisterAsync(this ApiFactory factory, string? email = null, string password = "correct horse battery")
    {
        var client = factory.CreateClient();
        email ??= $"u{Guid.NewGuid():N}@example.com";
        var response = await client.PostAsJsonAsync("/api/v1/auth/register", new { email, password });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static async Task<HttpClient> LoginAsync(this ApiFactory factory, string email, string password)
    {
        var client = factory.CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static Task<HttpClient> LoginAdminAsync(this ApiFactory factory, StackFixture stack) =>
        factory.LoginAsync(stack.Env["Auth__AdminEmail"], stack.Env["Auth__AdminPassword"]);

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>Asserts an RFC 9457 body with the given status and returns its detail.</summary>
    public static async Task<string> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status} but got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal((int)status, doc.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(doc.RootElement.GetProperty("title").GetString()));
        var detail = doc.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
        Assert.False(string.IsNullOrWhiteSpace(detail), $"problem without a detail: {body}");
        return detail!;
    }

    /// <summary>The signed-in account's id (GET /me).</summary>
    public static async Task<Guid> UserIdAsync(this HttpClient client) =>
        (await (await client.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("id").GetGuid();

    public static async Task<JsonElement> CreateUploadAsync(this HttpClient client, long size, string fileName = "clip.mp4", int? maxQuality = null, string? visibility = null)
    {
        var response = await client.PostAsJsonAsync("/api/v1/uploads", new { fileName, size, contentType = "video/mp4", title = "Test clip", maxQuality, visibility });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.ReadJsonAsync();
    }

    public static async Task<JsonElement[]> SignAsync(this HttpClient client, Guid videoId, params int[] partNumbers)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/uploads/{videoId}/parts/sign", new { partNumbers });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.ReadJsonAsync()).EnumerateArray().ToArray();
    }

    /// <summary>PUTs bytes straight to a presigned storage URL, as the browser does, and returns the ETag.</summary>
    public static async Task<string> PutToStorageAsync(HttpClient storage, string url, ReadOnlyMemory<byte> bytes)
    {
        using var content = new ReadOnlyMemoryContent(bytes);
        using var response = await storage.PutAsync(url, content);
        Assert.True(response.IsSuccessStatusCode, $"storage PUT failed {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response.Headers.ETag?.Tag ?? throw new InvalidOperationException("no ETag");
    }
}

public static class VideoFlow
{
    /// <summary>Uploads a local file through the real protocol (single PUT or multipart) and completes it.</summary>
    public static async Task<Guid> UploadAsync(HttpClient api, string path, int? maxQuality = null, string? title = null, string? visibility = null)
    {
        using var storage = new HttpClient();
        var bytes = await File.ReadAllBytesAsync(path);
        var created = await api.CreateUploadAsync(bytes.Length, Path.GetFileName(path), maxQuality, visibility);
        var videoId = created.GetProperty("videoId").GetGuid();
        if (created.GetProperty("mode").GetString() == "single")
        {
            await TestApi.PutToStorageAsync(storage, created.GetProperty("url").GetString()!, bytes);
        }
        else
        {
            var partSize = created.GetProperty("partSize").GetInt64();
            var parts = Enumerable.Range(1, created.GetProperty("partCount").GetInt32()).ToArray();
            foreach (var signed in await api.SignAsync(videoId, parts))
            {
                var n = signed.GetProperty("partNumber").GetInt32();
                var offset = (int)((n - 1) * partSize);
                var length = (int)Math.Min(partSize, bytes.Length - offset);
                var etag = await TestApi.PutToStorageAsync(storage, signed.GetProperty("url").GetString()!, bytes.AsMemory(offset, length));
                var recorded = await api.PutAsJsonAsync($"/api/v1/uploads/{videoId}/parts/{n}", new { etag, size = length });
                Assert.Equal(HttpStatusCode.NoContent, recorded.StatusCode);
            }
        }
        var complete = await api.PostAsync($"/api/v1/uploads/{videoId}/complete", null);
        Assert.True(complete.StatusCode == HttpStatusCode.Accepted, await complete.Content.ReadAsStringAsync());
        return videoId;
    }

    /// <summary>Polls until processing reports at least <paramref name="percent"/> (ffmpeg is running), or fails the test.</summary>
    public static Task WaitForProgressAsync(HttpClient api, Guid videoId, int percent, Func<string> diagnostics) =>
        Eventually.HoldsAsync(async () => (await (await api.GetAsync($"/api/v1/videos/{videoId}")).ReadJsonAsync()).GetProperty("progress").GetInt32() >= percent,
            TimeSpan.FromSeconds(60), () => $"processing of {videoId} never reached {percent}%\n{diagnostics()}");

    /// <summary>Polls until the video leaves processing (ready or failed), or fails the test.</summary>
    public static Task<JsonElement> WaitForFinalAsync(HttpClient api, Guid videoId, TimeSpan? timeout = null, Func<string>? diagnostics = null) =>
        Eventually.ValueAsync(async () => await (await api.GetAsync($"/api/v1/videos/{videoId}")).ReadJsonAsync(),
            video => video.GetProperty("status").GetString() is "ready" or "failed",
            timeout ?? TimeSpan.FromSeconds(90), last => $"video {videoId} did not finish in time (last seen: {last})\n{diagnostics?.Invoke()}",
            TimeSpan.FromMilliseconds(250));
}

using System.Security.Cryptography;
using StreamForge.Core.Quota;

namespace StreamForge.Tests.Uploads;

/// <summary>Completion in multipart mode measures the assembled object too: a part shorter than reported cannot slip through.</summary>
[Collection(StackCollection.Name)]
public sealed class SizeCheckTests(StackFixture stack)
{
    private readonly ApiFactory _api = stack.Api;

    [Fact]
    public async Task A_multipart_upload_assembled_smaller_than_declared_is_refused_and_releases_its_reservation()
    {
        var client = await _api.RegisterAsync();
        const int declared = 12_000_000;
        var created = await client.CreateUploadAsync(declared);
        Assert.Equal("multipart", created.GetProperty("mode").GetString());
        var videoId = created.GetProperty("videoId").GetGuid();
        var partSize = (int)created.GetProperty("partSize").GetInt64();
        var partCount = created.GetProperty("partCount").GetInt32();
        foreach (var signed in await client.SignAsync(videoId, Enumerable.Range(1, partCount).ToArray()))
        {
            var n = signed.GetProperty("partNumber").GetInt32();
            var expected = n < partCount ? partSize : declared - partSize * (partCount - 1);
            // The last part is sent short but recorded with the size the plan expects.
            var sent = n < partCount ? expected : 1_000;
            var etag = await TestApi.PutToStorageAsync(stack.Storage, signed.GetProperty("url").GetString()!, RandomNumberGenerator.GetBytes(sent));
            Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsJsonAsync($"/api/v1/uploads/{videoId}/parts/{n}", new { etag, size = expected })).StatusCode);
        }

        var complete = await client.PostAsync($"/api/v1/uploads/{videoId}/complete", null);
        Assert.Contains($"not the {declared:N0} bytes declared", await complete.AssertProblemAsync(HttpStatusCode.Conflict));
        using (var raw = await stack.Storage.GetAsync($"{stack.S3Endpoint}/{stack.Bucket}/raw/{videoId}/source"))
            Assert.Equal(HttpStatusCode.NotFound, raw.StatusCode);
        var video = await (await client.GetAsync($"/api/v1/videos/{videoId}")).ReadJsonAsync();
        Assert.Equal("failed", video.GetProperty("status").GetString());
        // A second complete finds the upload ended.
        await (await client.PostAsync($"/api/v1/uploads/{videoId}/complete", null)).AssertProblemAsync(HttpStatusCode.Gone);

        var me = await (await client.GetAsync("/api/v1/me")).ReadJsonAsync();
        await using var scope = _api.Services.CreateAsyncScope();
        var audit = await scope.ServiceProvider.GetRequiredService<QuotaAudit>().CheckAsync(me.GetProperty("id").GetGuid(), default);
        Assert.Equal((0L, 0L), (audit!.Ledger, audit.Expected));
    }
}

using System.Security.Cryptography;
using StreamForge.Core.Quota;
using Xunit.Abstractions;

namespace StreamForge.Tests.Uploads;

/// <summary>
/// A single-PUT URL for 1 byte, sent with x-amz-copy-source naming another user's raw source. Two defences, each proven
/// on its own: URLs signed with the upload-only key are refused by storage (no copy happens), and when an operator runs
/// without that key (the main key signs, the copy happens), completion refuses what is not the declared size. Either
/// way nothing of the victim's file is charged or served through the attacker's video.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class CopySourceTests(StackFixture stack, ITestOutputHelper output)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_one_byte_put_turned_into_a_server_side_copy_stores_and_charges_nothing(bool uploadKeys)
    {
        await using var api = uploadKeys ? null : stack.NewApi(new Dictionary<string, string> { ["Storage:UploadAccessKey"] = "", ["Storage:UploadSecretKey"] = "" });
        var factory = api ?? stack.Api;
        var victim = await factory.RegisterAsync();
        var secret = RandomNumberGenerator.GetBytes(452_808);
        var victimUpload = await victim.CreateUploadAsync(secret.Length);
        var victimId = victimUpload.GetProperty("videoId").GetGuid();
        await TestApi.PutToStorageAsync(stack.Storage, victimUpload.GetProperty("url").GetString()!, secret);
        Assert.Equal(HttpStatusCode.Accepted, (await victim.PostAsync($"/api/v1/uploads/{victimId}/complete", null)).StatusCode);

        var attacker = await factory.RegisterAsync();
        var created = await attacker.CreateUploadAsync(1);
        var videoId = created.GetProperty("videoId").GetGuid();
        using (var put = new HttpRequestMessage(HttpMethod.Put, created.GetProperty("url").GetString()) { Content = new ByteArrayContent([0x42]) })
        {
            put.Headers.TryAddWithoutValidation("x-amz-copy-source", $"/{stack.Bucket}/raw/{victimId}/source");
            using var stored = await stack.Storage.SendAsync(put);
            output.WriteLine($"storage answered {(int)stored.StatusCode} to the PUT with x-amz-copy-source");
            // The upload key may only PutObject: a copy needs read on its source.
            if (uploadKeys) Assert.Equal(HttpStatusCode.Forbidden, stored.StatusCode);
            else Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        }

        var complete = await attacker.PostAsync($"/api/v1/uploads/{videoId}/complete", null);
        var detail = await complete.AssertProblemAsync(HttpStatusCode.Conflict);
        output.WriteLine(detail);
        Assert.DoesNotContain(secret.Length.ToString("N0"), await (await attacker.GetAsync("/api/v1/me")).Content.ReadAsStringAsync());

        // Nothing of the victim's file behind the attacker's video: no original download, no object under its key.
        await (await attacker.GetAsync($"/api/v1/videos/{videoId}/downloads/original")).AssertProblemAsync(HttpStatusCode.Conflict);
        using (var raw = await stack.Storage.GetAsync($"{stack.S3Endpoint}/{stack.Bucket}/raw/{videoId}/source"))
            Assert.Equal(HttpStatusCode.NotFound, raw.StatusCode);
        var video = await (await attacker.GetAsync($"/api/v1/videos/{videoId}")).ReadJsonAsync();
        // Refused by storage, the upload simply has no file yet (the attacker may still send the declared byte);
        // refused at completion, it is failed and its reservation released.
        var (status, charged) = uploadKeys ? ("pending_upload", 1L) : ("failed", 0L);
        Assert.Equal(status, video.GetProperty("status").GetString());
        Assert.Equal(charged, video.GetProperty("sizeBytes").GetInt64());

        var attackerId = (await (await attacker.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("id").GetGuid();
        await using var scope = factory.Services.CreateAsyncScope();
        var audit = await scope.ServiceProvider.GetRequiredService<QuotaAudit>().CheckAsync(attackerId, default);
        Assert.Equal(new QuotaAuditResult(attackerId, charged, charged), audit);
        // The victim's file is untouched.
        using var original = await stack.Storage.GetAsync($"{stack.S3Endpoint}/{stack.Bucket}/raw/{victimId}/source");
        Assert.Equal(secret, await original.Content.ReadAsByteArrayAsync());
    }
}

namespace StreamForge.Tests.Api;

/// <summary>
/// The original download of uploads with odd names: every name the upload API accepts must give a working link whose
/// Content-Disposition names a safe file, never a 500.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class OddFileNameDownloadTests(StackFixture stack)
{
    public static TheoryData<string, string> Names() => new()
    {
        // name as uploaded, what the offered file name must start with
        { "a." + new string('b', 200), "a.bbbb" },
        { new string('x', 140) + ".averyveryverylongextension", "xxxx" },
        { new string('x', 145) + "😀😀😀.mp4", "xxxx" },
        { new string('é', 160) + ".mp4", "éééé" },
        { "..." + new string('.', 200) + "mp4", "mp4" },
        { "....", "video" },
        { "quo\"te's <b>&amp; %41.mp4", "quo_te's _b_&amp; %41.mp4" },
        { "  spaced  .mp4  ", "spaced  .mp4" },
        { "日本語のファイル名.mov", "日本語のファイル名.mov" },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Gives_a_working_link_with_a_safe_name(string fileName, string expectedStart)
    {
        var owner = await stack.Api.RegisterAsync();
        var created = await owner.CreateUploadAsync(1000, fileName);
        var videoId = created.GetProperty("videoId").GetString();
        await TestApi.PutToStorageAsync(stack.Storage, created.GetProperty("url").GetString()!, new byte[1000]);
        Assert.Equal(HttpStatusCode.Accepted, (await owner.PostAsync($"/api/v1/uploads/{videoId}/complete", null)).StatusCode);

        using var response = await owner.GetAsync($"/api/v1/videos/{videoId}/downloads/original");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        var download = await response.ReadJsonAsync();
        var name = download.GetProperty("fileName").GetString()!;
        Assert.StartsWith(expectedStart, name, StringComparison.Ordinal);
        Assert.InRange(name.Length, 1, 150);
        Assert.DoesNotContain(name, c => char.IsControl(c) || c is '"' or '/' or '\\');
        Assert.False(char.IsHighSurrogate(name[^1]), "the name ends in half a character");

        using var file = await stack.Storage.GetAsync(download.GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        var disposition = file.Content.Headers.ContentDisposition;
        Assert.NotNull(disposition);
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal(name, disposition.FileNameStar);
        Assert.Equal(1000, (await file.Content.ReadAsByteArrayAsync()).Length);
    }

    [Theory]
    [InlineData("fileName", "\\ud800lone.mp4")]
    [InlineData("title", "half \\udc00 pair")]
    public async Task Half_a_surrogate_pair_in_a_name_is_refused_not_a_500(string field, string escaped)
    {
        var owner = await stack.Api.RegisterAsync();
        var fileName = field == "fileName" ? escaped : "a.mp4";
        var title = field == "title" ? escaped : "t";
        using var body = new StringContent($$"""{"fileName":"{{fileName}}","size":1000,"contentType":"video/mp4","title":"{{title}}"}""", System.Text.Encoding.UTF8, "application/json");
        using var response = await owner.PostAsync("/api/v1/uploads", body);
        Assert.Contains("JSON", await response.AssertProblemAsync(HttpStatusCode.BadRequest));
    }
}

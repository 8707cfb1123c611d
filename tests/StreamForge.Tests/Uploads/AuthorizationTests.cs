namespace StreamForge.Tests.Uploads;

[Collection(StackCollection.Name)]
public sealed class AuthorizationTests(StackFixture stack) : IAsyncLifetime
{
    private readonly ApiFactory _api = stack.Api;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => Task.CompletedTask;

    private static IEnumerable<(string Name, Func<HttpClient, Guid, Task<HttpResponseMessage>> Call)> EndpointsOn() =>
    [
        ("GET upload", (c, id) => c.GetAsync($"/api/v1/uploads/{id}")),
        ("sign parts", (c, id) => c.PostAsJsonAsync($"/api/v1/uploads/{id}/parts/sign", new { partNumbers = new[] { 1 } })),
        ("record part", (c, id) => c.PutAsJsonAsync($"/api/v1/uploads/{id}/parts/1", new { etag = "\"abc\"", size = 5242880 })),
        ("complete", (c, id) => c.PostAsync($"/api/v1/uploads/{id}/complete", null)),
        ("abort", (c, id) => c.DeleteAsync($"/api/v1/uploads/{id}")),
        ("GET video", (c, id) => c.GetAsync($"/api/v1/videos/{id}")),
        ("PATCH video", (c, id) => c.PatchAsJsonAsync($"/api/v1/videos/{id}", new { title = "mine now" })),
        ("retry video", (c, id) => c.PostAsync($"/api/v1/videos/{id}/retry", null)),
        ("cancel video", (c, id) => c.PostAsync($"/api/v1/videos/{id}/cancel", null)),
        ("DELETE video", (c, id) => c.DeleteAsync($"/api/v1/videos/{id}")),
    ];

    [Fact]
    public async Task Another_user_gets_404_on_every_endpoint_and_nothing_changes()
    {
        var alice = await _api.RegisterAsync();
        var bob = await _api.RegisterAsync();
        var created = await alice.CreateUploadAsync(12_000_000);
        var videoId = created.GetProperty("videoId").GetGuid();

        foreach (var (name, call) in EndpointsOn())
        {
            var response = await call(bob, videoId);
            var detail = await response.AssertProblemAsync(HttpStatusCode.NotFound);
            Assert.DoesNotContain(videoId.ToString(), detail);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, name);
        }
        var list = await (await bob.GetAsync("/api/v1/videos")).ReadJsonAsync();
        Assert.Equal(0, list.GetProperty("total").GetInt32());

        var status = await (await alice.GetAsync($"/api/v1/uploads/{videoId}")).ReadJsonAsync();
        Assert.Equal("active", status.GetProperty("state").GetString());
        var video = await (await alice.GetAsync($"/api/v1/videos/{videoId}")).ReadJsonAsync();
        Assert.Equal("Test clip", video.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Anonymous_callers_get_401()
    {
        var anonymous = _api.CreateClient();
        var id = Guid.NewGuid();
        foreach (var (name, call) in EndpointsOn())
            Assert.True((await call(anonymous, id)).StatusCode == HttpStatusCode.Unauthorized, name);
        foreach (var path in new[] { "/api/v1/me", "/api/v1/videos", "/api/v1/events", "/api/v1/admin/users", "/api/v1/admin/jobs/stats" })
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/uploads", new { fileName = "a.mp4", size = 10 })).StatusCode);
    }

    [Fact]
    public async Task Admin_endpoints_are_for_admins_only_and_admins_see_everything()
    {
        var user = await _api.RegisterAsync();
        var created = await user.CreateUploadAsync(1000);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync("/api/v1/admin/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync("/api/v1/admin/videos")).StatusCode);

        var admin = await _api.LoginAdminAsync(stack);
        var videoId = created.GetProperty("videoId").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/v1/videos/{videoId}")).StatusCode);
        var all = await (await admin.GetAsync("/api/v1/admin/videos")).ReadJsonAsync();
        Assert.Contains(all.GetProperty("items").EnumerateArray(), v => v.GetProperty("id").GetGuid() == videoId);
        var users = await (await admin.GetAsync("/api/v1/admin/users")).ReadJsonAsync();
        Assert.True(users.GetArrayLength() >= 2);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/admin/videos/{videoId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await user.GetAsync($"/api/v1/videos/{videoId}")).StatusCode);
    }
}

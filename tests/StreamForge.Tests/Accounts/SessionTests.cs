namespace StreamForge.Tests.Accounts;

[Collection(StackCollection.Name)]
public sealed class SessionTests(StackFixture stack)
{
    private readonly ApiFactory _api = stack.Api;

    private HttpClient CookieClient() => _api.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true });

    [Fact]
    public async Task Cookie_session_works_needs_the_csrf_header_for_writes_and_refresh_rotates()
    {
        var browser = CookieClient();
        var email = $"c{Guid.NewGuid():N}@example.com";
        var register = await browser.PostAsJsonAsync("/api/v1/auth/register", new { email, password = "long enough pw" });
        Assert.Equal(HttpStatusCode.Created, register.StatusCode);
        Assert.Contains(register.Headers.GetValues("Set-Cookie"), c => c.StartsWith("sf_access=") && c.Contains("httponly") && c.Contains("samesite=strict"));

        // Reads work from the cookie alone.
        var me = await (await browser.GetAsync("/api/v1/me")).ReadJsonAsync();
        Assert.Equal(email, me.GetProperty("email").GetString());
        Assert.Equal(500_000_000, me.GetProperty("quotaBytes").GetInt64());

        // A cookie-authenticated write without the header is refused; with it, it passes.
        var noHeader = await browser.PostAsJsonAsync("/api/v1/uploads", new { fileName = "a.mp4", size = 1000 });
        Assert.Contains("X-CSRF", await noHeader.AssertProblemAsync(HttpStatusCode.Forbidden));
        var withHeader = new HttpRequestMessage(HttpMethod.Post, "/api/v1/uploads") { Content = JsonContent.Create(new { fileName = "a.mp4", size = 1000 }) };
        withHeader.Headers.Add("X-CSRF", "1");
        Assert.Equal(HttpStatusCode.Created, (await browser.SendAsync(withHeader)).StatusCode);

        // Refresh rotates; replaying the old refresh token revokes the family.
        var oldRefresh = ExtractCookie(register, "sf_refresh");
        var refresh = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/refresh");
        refresh.Headers.Add("X-CSRF", "1");
        var rotated = await browser.SendAsync(refresh);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.NotEqual(oldRefresh, ExtractCookie(rotated, "sf_refresh"));

        var replay = _api.CreateClient();
        var replayRequest = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/refresh");
        replayRequest.Headers.Add("Cookie", $"sf_refresh={oldRefresh}");
        replayRequest.Headers.Add("X-CSRF", "1");
        await (await replay.SendAsync(replayRequest)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        // The stolen-token response also killed the legitimate latest token.
        var again = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/refresh");
        again.Headers.Add("X-CSRF", "1");
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SendAsync(again)).StatusCode);
    }

    [Fact]
    public async Task Logout_clears_the_session()
    {
        var browser = CookieClient();
        await browser.PostAsJsonAsync("/api/v1/auth/register", new { email = $"l{Guid.NewGuid():N}@example.com", password = "long enough pw" });
        var logout = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/logout");
        logout.Headers.Add("X-CSRF", "1");
        Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(logout)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Tampered_tokens_are_refused()
    {
        var client = await _api.RegisterAsync();
        var token = client.DefaultRequestHeaders.Authorization!.Parameter!;
        client.DefaultRequestHeaders.Authorization = new("Bearer", token[..^4] + (token.EndsWith("AAAA") ? "BBBB" : "AAAA"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Password_change_requires_the_current_password()
    {
        var email = $"p{Guid.NewGuid():N}@example.com";
        var client = await _api.RegisterAsync(email, "first password");
        var wrong = await client.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = "nope nope", newPassword = "second password" });
        await wrong.AssertProblemAsync(HttpStatusCode.BadRequest);
        var ok = await client.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = "first password", newPassword = "second password" });
        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
        await _api.LoginAsync(email, "second password");
    }

    [Fact]
    public async Task Login_attempts_are_rate_limited()
    {
        await using var api = stack.NewApi(new Dictionary<string, string> { ["Auth:LoginAttemptsPerMinute"] = "3" });
        var client = api.CreateClient();
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "x@example.com", password = "wrong pass" })).StatusCode);
        var limited = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "x@example.com", password = "wrong pass" });
        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.RetryAfter is not null);
    }

    [Fact]
    public async Task Health_endpoints_report_live_and_ready()
    {
        var client = _api.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readiness_fails_when_storage_is_unreachable()
    {
        await using var api = stack.NewApi(new Dictionary<string, string> { ["Storage:ServiceUrl"] = "http://127.0.0.1:9" });
        var ready = await api.CreateClient().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }

    private static string ExtractCookie(HttpResponseMessage response, string name) =>
        response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith(name + "="))[(name.Length + 1)..];
}

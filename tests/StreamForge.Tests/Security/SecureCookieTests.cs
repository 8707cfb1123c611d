namespace StreamForge.Tests.Security;

/// <summary>
/// Session cookies carry Secure in every environment but Development, so a staging or test deployment behind a proxy
/// that forgets X-Forwarded-Proto cannot hand them out over plain HTTP. Development (tests, the e2e stack,
/// <c>npm start</c>) runs over http://127.0.0.1 and needs them without it.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class SecureCookieTests(StackFixture stack)
{
    [Theory]
    [InlineData("Staging")]
    [InlineData("Production")]
    [InlineData("Testing")]
    public async Task Every_cookie_is_secure_outside_development_even_over_http(string environment)
    {
        await using var api = stack.NewApi(new Dictionary<string, string> { ["Auth:AdminPassword"] = "an operator secret" }, environment);
        var cookies = await SessionCookiesAsync(api);
        Assert.Equal(4, cookies.Count);
        Assert.All(cookies, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.All(cookies, c => Assert.Contains("; httponly", c, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Development_leaves_them_usable_over_plain_http()
    {
        var cookies = await SessionCookiesAsync(stack.Api);
        Assert.Equal(4, cookies.Count);
        Assert.All(cookies, c => Assert.DoesNotContain("; secure", c, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The Set-Cookie lines of a registration (access and refresh) and of a logout (both cleared), over http.</summary>
    private static async Task<List<string>> SessionCookiesAsync(ApiFactory api)
    {
        var client = api.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
        var register = await client.PostAsJsonAsync("/api/v1/auth/register", new { email = $"c{Guid.NewGuid():N}@example.com", password = "correct horse battery" });
        Assert.Equal(HttpStatusCode.Created, register.StatusCode);
        var cookies = register.Headers.GetValues("Set-Cookie").ToList();
        using var logout = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/logout");
        logout.Headers.Add("X-CSRF", "1");
        var ended = await client.SendAsync(logout);
        Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
        cookies.AddRange(ended.Headers.GetValues("Set-Cookie"));
        return cookies;
    }
}

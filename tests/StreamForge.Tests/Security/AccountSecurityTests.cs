using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace StreamForge.Tests.Security;

/// <summary>Sessions, tokens, the admin seed, rate limits and production start-up rules, against the real API.</summary>
[Collection(StackCollection.Name)]
public sealed class AccountSecurityTests(StackFixture stack)
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task Concurrent_refreshes_of_one_token_have_one_winner_and_a_replay_revokes_the_family()
    {
        var api = stack.Api;
        var email = $"race{Guid.NewGuid():N}@example.com";
        await api.RegisterAsync(email, Password);
        var login = await api.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password });
        var token = RefreshCookie(login) ?? throw new InvalidOperationException("login set no refresh cookie");

        var attempts = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => RefreshAsync(api, token)));
        Assert.Equal(1, attempts.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.All(attempts.Where(a => a.StatusCode != HttpStatusCode.OK), a => Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode));
        var next = RefreshCookie(attempts.Single(a => a.StatusCode == HttpStatusCode.OK))!;

        // The old token again: treated as stolen, so the winner's new token dies with it.
        await (await RefreshAsync(api, token)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await RefreshAsync(api, next)).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_admin_seed_never_takes_over_an_account_registered_with_its_address()
    {
        var squatter = $"admin-to-be{Guid.NewGuid():N}@example.com";
        var first = stack.Api;
        await first.RegisterAsync(squatter, Password);
        await using var restarted = stack.NewApi(new Dictionary<string, string>
        {
            ["ConnectionStrings:Postgres"] = first.ConnectionString,
            ["Auth:AdminEmail"] = squatter,
            ["Auth:AdminPassword"] = "the operator's own secret",
        });
        var client = await restarted.LoginAsync(squatter, Password);
        var me = await (await client.GetAsync("/api/v1/me")).ReadJsonAsync();
        Assert.Equal("user", me.GetProperty("role").GetString());
        var admin = await client.GetAsync("/api/v1/admin/users");
        Assert.Equal(HttpStatusCode.Forbidden, admin.StatusCode);
    }

    [Fact]
    public async Task Sign_ups_are_rate_limited_per_address_with_a_problem_that_says_so()
    {
        await using var api = stack.NewApi(new Dictionary<string, string> { ["Auth:RegistrationsPerMinute"] = "2" });
        var anonymous = api.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.Created, (await anonymous.PostAsJsonAsync("/api/v1/auth/register", new { email = $"rl{i}{Guid.NewGuid():N}@example.com", password = Password })).StatusCode);
        var third = await anonymous.PostAsJsonAsync("/api/v1/auth/register", new { email = $"rl{Guid.NewGuid():N}@example.com", password = Password });
        Assert.Contains("sign-ups", await third.AssertProblemAsync(HttpStatusCode.TooManyRequests));
        Assert.Equal("60", third.Headers.RetryAfter?.ToString());
    }

    [Fact]
    public async Task Forged_expired_and_unsigned_tokens_are_refused()
    {
        var api = stack.Api;
        var email = $"jwt{Guid.NewGuid():N}@example.com";
        var user = await api.RegisterAsync(email, Password);
        var me = await (await user.GetAsync("/api/v1/me")).ReadJsonAsync();
        var sub = me.GetProperty("id").GetString()!;
        // A real token's session and stamp: the forgeries below must fail on their signature or claims, not on a missing session.
        var issued = new JsonWebToken(user.DefaultRequestHeaders.Authorization!.Parameter!);
        var (sid, stamp) = (issued.GetClaim("sid").Value, issued.GetClaim("stamp").Value);
        var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(stack.Env["Auth__JwtSigningKey"]));

        string Sign(string issuer = "streamforge", string audience = "streamforge", DateTime? expires = null, string role = "user") =>
            new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
            {
                Issuer = issuer, Audience = audience,
                IssuedAt = (expires ?? DateTime.UtcNow.AddMinutes(10)).AddMinutes(-20),
                NotBefore = (expires ?? DateTime.UtcNow.AddMinutes(10)).AddMinutes(-20),
                Expires = expires ?? DateTime.UtcNow.AddMinutes(10),
                Subject = new ClaimsIdentity([new Claim("sub", sub), new Claim("email", email), new Claim("role", role), new Claim("sid", sid), new Claim("stamp", stamp)]),
                SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
            });
        static string B64(string json) => Base64UrlEncoder.Encode(json);

        // The crafting itself is right: a well-signed token works.
        Assert.Equal(HttpStatusCode.OK, (await GetMeAsync(api, Sign())).StatusCode);

        var valid = Sign().Split('.');
        var tampered = $"{valid[0]}.{B64($$"""{"sub":"{{sub}}","email":"{{email}}","role":"admin","sid":"{{sid}}","stamp":"{{stamp}}","iss":"streamforge","aud":"streamforge","exp":{{DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds()}}}""")}.{valid[2]}";
        var unsigned = $"{B64("""{"alg":"none","typ":"JWT"}""")}.{B64($$"""{"sub":"{{sub}}","role":"admin","sid":"{{sid}}","stamp":"{{stamp}}","iss":"streamforge","aud":"streamforge","exp":{{DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds()}}}""")}.";
        var cases = new Dictionary<string, string>
        {
            ["tampered payload"] = tampered,
            ["alg none"] = unsigned,
            ["expired"] = Sign(expires: DateTime.UtcNow.AddMinutes(-5)),
            ["wrong issuer"] = Sign(issuer: "evil"),
            ["wrong audience"] = Sign(audience: "evil"),
            ["signed with another key"] = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = "streamforge", Audience = "streamforge", Expires = DateTime.UtcNow.AddMinutes(10),
                Subject = new ClaimsIdentity([new Claim("sub", sub), new Claim("role", "admin"), new Claim("sid", sid), new Claim("stamp", stamp)]),
                SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(new byte[32]), SecurityAlgorithms.HmacSha256),
            }),
        };
        foreach (var (name, token) in cases)
        {
            var response = await GetMeAsync(api, token);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{name}: {(int)response.StatusCode}");
            var admin = await GetAsync(api, token, "/api/v1/admin/users");
            Assert.True(admin.StatusCode == HttpStatusCode.Unauthorized, $"{name} (admin route): {(int)admin.StatusCode}");
        }
    }

    [Fact]
    public async Task Responses_carry_the_browser_security_headers()
    {
        var client = stack.Api.CreateClient();
        foreach (var path in new[] { "/health/live", "/api/v1/videos", "/api/v1/nothing-here" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Contains("script-src 'self';", csp);
            Assert.DoesNotContain("unsafe-eval", csp);
            // Media and uploads go to storage (or the CDN): the policy must allow exactly those origins.
            Assert.Contains(new Uri(stack.S3Endpoint).GetLeftPart(UriPartial.Authority), csp);
        }
    }

    [Fact]
    public void Production_refuses_to_start_without_a_signing_key_or_with_the_development_password()
    {
        using (var noKey = stack.NewApi(new Dictionary<string, string> { ["Auth:JwtSigningKey"] = "", ["Auth:AdminPassword"] = "an operator secret" }, "Production"))
        {
            var error = Assert.ThrowsAny<Exception>(() => noKey.CreateClient());
            Assert.Contains("JwtSigningKey", error.ToString());
        }
        using (var devPassword = stack.NewApi(environment: "Production"))
        {
            var error = Assert.ThrowsAny<Exception>(() => devPassword.CreateClient());
            Assert.Contains("development default", error.ToString());
        }
    }

    [Fact]
    public async Task Production_keeps_the_api_docs_to_admins_and_marks_cookies_secure()
    {
        await using var api = stack.NewApi(new Dictionary<string, string> { ["Auth:AdminPassword"] = "an operator secret" }, "Production");
        var anonymous = api.CreateClient();
        await (await anonymous.GetAsync("/swagger/v1/swagger.json")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await anonymous.GetAsync("/docs/index.html")).AssertProblemAsync(HttpStatusCode.NotFound);
        var overTls = api.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://streamforge.example/") });
        Assert.StartsWith("max-age=31536000", (await overTls.GetAsync("/health/live")).Headers.GetValues("Strict-Transport-Security").Single());

        var register = await anonymous.PostAsJsonAsync("/api/v1/auth/register", new { email = $"prod{Guid.NewGuid():N}@example.com", password = Password });
        Assert.Equal(HttpStatusCode.Created, register.StatusCode);
        var cookies = register.Headers.GetValues("Set-Cookie").ToList();
        Assert.Equal(2, cookies.Count);
        Assert.All(cookies, c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.All(cookies, c => Assert.Contains("httponly", c, StringComparison.OrdinalIgnoreCase));

        var admin = await api.LoginAsync(stack.Env["Auth__AdminEmail"], "an operator secret");
        var docs = await admin.GetAsync("/swagger/v1/swagger.json");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
    }

    private static string? RefreshCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.Where(v => v.StartsWith("sf_refresh=", StringComparison.Ordinal)).Select(v => v["sf_refresh=".Length..v.IndexOf(';')]).FirstOrDefault()
            : null;

    private static async Task<HttpResponseMessage> RefreshAsync(ApiFactory api, string token)
    {
        using var client = api.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/refresh");
        request.Headers.Add("Cookie", $"sf_refresh={token}");
        request.Headers.Add("X-CSRF", "1");
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static Task<HttpResponseMessage> GetMeAsync(ApiFactory api, string token) => GetAsync(api, token, "/api/v1/me");

    private static async Task<HttpResponseMessage> GetAsync(ApiFactory api, string token, string path)
    {
        using var client = api.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await client.GetAsync(path);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}

using Xunit.Abstractions;

namespace StreamForge.Tests.Security;

/// <summary>
/// Whose X-Forwarded-For the API believes. TestServer has no socket, so each host gets the TCP peer address Kestrel
/// would see through <see cref="ApiFactory.RemoteAddressSetting"/> (set before any of the API's middleware runs).
/// </summary>
[Collection(StackCollection.Name)]
public sealed class ForwardedHeadersTests(StackFixture stack, ITestOutputHelper output)
{
    private const string Peer = "198.51.100.7";

    private static HttpRequestMessage Login(string forwardedFor) => new(HttpMethod.Post, "/api/v1/auth/login")
    {
        // A new name each time: only the per-address limit is under test, not the per-account throttle.
        Content = JsonContent.Create(new { email = $"nobody{Guid.NewGuid():N}@example.com", password = "wrong password" }),
        Headers = { { "X-Forwarded-For", forwardedFor } },
    };

    [Fact]
    public async Task Without_a_configured_proxy_a_spoofed_forwarded_for_buys_no_new_login_budget()
    {
        await using var api = stack.NewApi(new Dictionary<string, string>
        {
            ["Auth:LoginAttemptsPerMinute"] = "10",
            [ApiFactory.RemoteAddressSetting] = Peer,
        });
        var client = api.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
        var statuses = new List<HttpStatusCode>();
        for (var i = 1; i <= 15; i++)
        {
            using var response = await client.SendAsync(Login($"203.0.113.{i}"));
            statuses.Add(response.StatusCode);
        }
        var unauthorized = statuses.Count(s => s == HttpStatusCode.Unauthorized);
        var limited = statuses.Count(s => s == HttpStatusCode.TooManyRequests);
        output.WriteLine($"15 logins with a changing X-Forwarded-For: {unauthorized} × 401, {limited} × 429");
        Assert.Equal(10, unauthorized);
        Assert.Equal(5, limited);
    }

    [Fact]
    public async Task Metrics_refuses_a_forwarded_loopback_address_from_an_outside_peer()
    {
        await using var api = stack.NewApi(new Dictionary<string, string> { [ApiFactory.RemoteAddressSetting] = Peer });
        var request = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { { "X-Forwarded-For", "127.0.0.1" } } };
        // Refused the way every outside caller is: as if there were nothing there.
        await (await api.CreateClient().SendAsync(request)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task With_a_configured_proxy_its_forwarded_for_is_the_client_address()
    {
        await using var api = stack.NewApi(new Dictionary<string, string>
        {
            ["Proxy:KnownProxies:0"] = Peer,
            [ApiFactory.RemoteAddressSetting] = Peer,
        });
        var client = api.CreateClient();
        HttpRequestMessage Metrics(string forwardedFor) => new(HttpMethod.Get, "/metrics") { Headers = { { "X-Forwarded-For", forwardedFor } } };
        // The proxy relays a loopback client: allowed. It relays an outside client: refused, although the proxy's
        // own address is the same both times.
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Metrics("127.0.0.1"))).StatusCode);
        await (await client.SendAsync(Metrics("203.0.113.5"))).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}

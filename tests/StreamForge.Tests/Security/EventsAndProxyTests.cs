using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using StreamForge.Core.Events;

namespace StreamForge.Tests.Security;

/// <summary>Who sees which live events, and whose forwarded headers the API believes.</summary>
[Collection(StackCollection.Name)]
public sealed class EventsAndProxyTests(StackFixture stack)
{
    [Fact]
    public async Task Video_events_reach_the_owner_and_admins_but_never_another_user()
    {
        var api = stack.Api;
        var alice = await api.RegisterAsync();
        var bob = await api.RegisterAsync();
        var admin = await api.LoginAdminAsync(stack);
        var aliceId = (await (await alice.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("id").GetGuid();
        var bobId = (await (await bob.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("id").GetGuid();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var streams = new List<IAsyncEnumerator<(string Event, string Data)>>();
        foreach (var client in new[] { alice, bob, admin })
        {
            var response = await client.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var events = EventStream.ReadAsync(await response.Content.ReadAsStreamAsync(timeout.Token), timeout.Token).GetAsyncEnumerator(timeout.Token);
            // "ready" means the subscription exists, so nothing published after this can be missed.
            Assert.True(await events.MoveNextAsync());
            Assert.Equal("ready", events.Current.Event);
            streams.Add(events);
        }

        var aliceVideo = (await alice.CreateUploadAsync(1000)).GetProperty("videoId").GetGuid();
        var bobVideo = (await bob.CreateUploadAsync(1000)).GetProperty("videoId").GetGuid();
        var publisher = api.Services.GetRequiredService<IVideoEventPublisher>();
        await publisher.PublishAsync(new VideoEvent(aliceVideo, aliceId, "processing", 42), timeout.Token);
        // Published after Alice's on the same channel: once Bob sees his own, Alice's would have come first.
        await publisher.PublishAsync(new VideoEvent(bobVideo, bobId, "processing", 7), timeout.Token);

        async Task<List<Guid>> VideosUntil(IAsyncEnumerator<(string Event, string Data)> events, Guid last)
        {
            var seen = new List<Guid>();
            while (await events.MoveNextAsync())
            {
                if (events.Current.Event != "video") continue;
                var id = JsonDocument.Parse(events.Current.Data).RootElement.GetProperty("videoId").GetGuid();
                seen.Add(id);
                if (id == last) return seen;
            }
            throw new Xunit.Sdk.XunitException("stream ended");
        }

        Assert.Equal([aliceVideo], await VideosUntil(streams[0], aliceVideo));
        Assert.Equal([bobVideo], await VideosUntil(streams[1], bobVideo));
        Assert.Contains(aliceVideo, await VideosUntil(streams[2], bobVideo));
        foreach (var s in streams) await s.DisposeAsync();
    }

    [Fact]
    public async Task Forwarded_headers_count_only_from_configured_proxies_for_https_and_the_client_address()
    {
        await using var baseApi = stack.NewApi(new Dictionary<string, string>
        {
            ["Proxy:KnownProxies:0"] = "10.9.9.9",
            ["Auth:RegistrationsPerMinute"] = "1",
        });
        var api = baseApi.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddTransient<IStartupFilter, PeerAddress>()));

        async Task<HttpResponseMessage> RegisterVia(string peer, string forwardedFor)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/register")
            {
                Content = JsonContent.Create(new { email = $"f{Guid.NewGuid():N}@example.com", password = "long enough pw" }),
            };
            request.Headers.Add("X-Test-Peer", peer);
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            request.Headers.Add("X-Forwarded-Proto", "https");
            return await api.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false }).SendAsync(request);
        }

        // Through the trusted proxy: each client has its own budget and the request counts as HTTPS.
        var first = await RegisterVia("10.9.9.9", "203.0.113.1");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.All(first.Headers.GetValues("Set-Cookie"), c => Assert.Contains("secure", c));
        Assert.Equal(HttpStatusCode.Created, (await RegisterVia("10.9.9.9", "203.0.113.2")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await RegisterVia("10.9.9.9", "203.0.113.2")).StatusCode);

        // From anyone else the headers are ignored: no Secure upgrade, and a fake client address buys no new budget.
        var spoofed = await RegisterVia("10.9.9.8", "203.0.113.3");
        Assert.Equal(HttpStatusCode.Created, spoofed.StatusCode);
        Assert.All(spoofed.Headers.GetValues("Set-Cookie"), c => Assert.DoesNotContain("secure", c));
        await (await RegisterVia("10.9.9.8", "203.0.113.4")).AssertProblemAsync(HttpStatusCode.TooManyRequests);
    }

    /// <summary>Lets a test choose the TCP peer address, which TestServer leaves empty.</summary>
    private sealed class PeerAddress : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((ctx, nextMw) =>
            {
                if (ctx.Request.Headers.TryGetValue("X-Test-Peer", out var peer)) ctx.Connection.RemoteIpAddress = IPAddress.Parse(peer!);
                return nextMw(ctx);
            });
            next(app);
        };
    }
}

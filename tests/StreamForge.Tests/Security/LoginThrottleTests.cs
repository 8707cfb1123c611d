using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Time.Testing;

namespace StreamForge.Tests.Security;

/// <summary>
/// The account-level sign-in throttle: after a few failures of one email, from anywhere, each further attempt waits
/// twice as long, never longer than Auth:LoginBackoffMax. The API reads a fake clock the test moves.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class LoginThrottleTests(StackFixture stack)
{
    private const string Password = "correct horse battery";
    private const string Wrong = "not the password";
    private const string Proxy = "10.9.9.9";

    private static async Task<HttpResponseMessage> LoginAsync(HttpClient client, string email, string password, string? from = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login") { Content = JsonContent.Create(new { email, password }) };
        if (from is not null) request.Headers.Add("X-Forwarded-For", from);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static int RetryAfterSeconds(HttpResponseMessage response) =>
        (int)(response.Headers.RetryAfter?.Delta?.TotalSeconds ?? throw new Xunit.Sdk.XunitException("429 without Retry-After seconds"));

    [Fact]
    public async Task After_the_free_failures_each_attempt_waits_twice_as_long_and_a_success_clears_the_count()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var api = stack.NewApi(clock: clock);
        var email = $"throttle{Guid.NewGuid():N}@example.com";
        await api.RegisterAsync(email, Password);
        var client = api.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });

        for (var i = 0; i < 5; i++) await (await LoginAsync(client, email, Wrong)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        // Even the right password waits: the throttle answers before any password is checked.
        var held = await LoginAsync(client, email.ToUpperInvariant(), Password);
        Assert.Contains("failed sign-ins", await held.AssertProblemAsync(HttpStatusCode.TooManyRequests));
        Assert.Equal(2, RetryAfterSeconds(held));

        clock.Advance(TimeSpan.FromSeconds(2));
        await (await LoginAsync(client, email, Wrong)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var longer = await LoginAsync(client, email, Password);
        await longer.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(4, RetryAfterSeconds(longer));

        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(client, email, Password)).StatusCode);
        // The success forgot the failures: five free ones again.
        for (var i = 0; i < 5; i++) await (await LoginAsync(client, email, Wrong)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await LoginAsync(client, email, Wrong)).AssertProblemAsync(HttpStatusCode.TooManyRequests);

        // Another account is not affected.
        var other = $"bystander{Guid.NewGuid():N}@example.com";
        await api.RegisterAsync(other, Password);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(client, other, Password)).StatusCode);
    }

    [Fact]
    public async Task Guesses_from_many_addresses_are_slowed_alike_but_the_owner_waits_at_most_the_maximum_and_a_reset_lifts_it()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var outbox = Outbox.CreateTemporary();
        await using var api = stack.NewApi(new Dictionary<string, string>
        {
            // Behind a proxy every guess seems to come from a new client, each with a fresh per-address budget.
            ["Proxy:KnownProxies:0"] = Proxy,
            [ApiFactory.RemoteAddressSetting] = Proxy,
            ["Auth:LoginAttemptsPerMinute"] = "2",
            ["Email:Mode"] = "Outbox",
            ["Email:OutboxPath"] = outbox.Folder,
        }, clock: clock);
        var email = $"target{Guid.NewGuid():N}@example.com";
        await api.RegisterAsync(email, Password);
        var client = api.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        var guess = 0;
        string NextAddress() => $"203.0.{++guess / 250}.{guess % 250 + 1}";

        for (var i = 0; i < 5; i++) await (await LoginAsync(client, email, Wrong, NextAddress())).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var waits = new List<int>();
        while (true)
        {
            var held = await LoginAsync(client, email, Wrong, NextAddress());
            await held.AssertProblemAsync(HttpStatusCode.TooManyRequests);
            var wait = RetryAfterSeconds(held);
            waits.Add(wait);
            if (wait >= 300) break;
            Assert.True(waits.Count < 20, $"the wait never reached the maximum: {string.Join(", ", waits)}");
            clock.Advance(TimeSpan.FromSeconds(wait));
            await (await LoginAsync(client, email, Wrong, NextAddress())).AssertProblemAsync(HttpStatusCode.Unauthorized);
        }
        Assert.Equal([2, 4, 8, 16, 32, 64, 128, 256, 300], waits);

        // However many failures strangers cause, after the maximum wait an attempt is heard again.
        clock.Advance(TimeSpan.FromSeconds(300));
        await (await LoginAsync(client, email, Wrong, NextAddress())).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(300, RetryAfterSeconds(await LoginAsync(client, email, Password, NextAddress())));

        // The owner need not wait at all: a completed password reset lifts the throttle.
        await client.PostAsJsonAsync("/api/v1/auth/password-reset", new { email });
        var (_, token) = Outbox.LinkIn(await outbox.WaitForMailAsync(email));
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/api/v1/auth/password-reset/confirm", new { token, newPassword = "the owner's new secret" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(client, email, "the owner's new secret", NextAddress())).StatusCode);
    }
}

using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace StreamForge.Tests.Security;

/// <summary>
/// An access token is good only while its session stands: logout, a password reset or change, a demotion and a
/// deleted account take effect on REST and on open event streams within seconds, not when the token expires.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class SessionEndTests(StackFixture stack, ITestOutputHelper output)
{
    private const string Password = "correct horse battery";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(5);

    private static string NewEmail(string prefix) => $"{prefix}{Guid.NewGuid():N}@example.com";

    private static HttpClient Bearer(ApiFactory api, string token)
    {
        var client = api.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static string TokenOf(HttpClient client) => client.DefaultRequestHeaders.Authorization!.Parameter!;

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return response.StatusCode;
    }

    private async Task<TimeSpan> RefusedWithinAsync(HttpClient client, string path, HttpStatusCode refused, string what)
    {
        var watch = Stopwatch.StartNew();
        var last = default(HttpStatusCode);
        await Eventually.HoldsAsync(async () => (last = await StatusAsync(client, path)) == refused, Within,
            () => $"{what}: {path} still answers {(int)last} after {watch.Elapsed.TotalSeconds:0.0} s");
        output.WriteLine($"{what}: {path} answered {(int)refused} after {watch.Elapsed.TotalSeconds:0.0} s");
        return watch.Elapsed;
    }

    [Fact]
    public async Task Logout_ends_the_access_token_too_by_refresh_cookie_or_by_bearer_token()
    {
        var api = stack.Api;
        var browser = api.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        var register = await browser.PostAsJsonAsync("/api/v1/auth/register", new { email = NewEmail("out"), password = Password });
        var token = (await register.ReadJsonAsync()).GetProperty("accessToken").GetString()!;
        var copied = Bearer(api, token);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(copied, "/api/v1/me"));

        var logout = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/logout") { Headers = { { "X-CSRF", "1" } } };
        Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(logout)).StatusCode);
        await RefusedWithinAsync(copied, "/api/v1/me", HttpStatusCode.Unauthorized, "after logout");

        // An API client without cookies logs out with its bearer token alone.
        var apiClient = Bearer(api, TokenOf(await api.RegisterAsync()));
        Assert.Equal(HttpStatusCode.NoContent, (await apiClient.PostAsync("/api/v1/auth/logout", null)).StatusCode);
        await RefusedWithinAsync(apiClient, "/api/v1/me", HttpStatusCode.Unauthorized, "after bearer logout");
    }

    [Fact]
    public async Task A_password_reset_ends_every_access_token_of_the_account()
    {
        var outbox = Outbox.CreateTemporary();
        await using var api = stack.NewApi(new Dictionary<string, string> { ["Email:Mode"] = "Outbox", ["Email:OutboxPath"] = outbox.Folder });
        var email = NewEmail("reset");
        var victim = await api.RegisterAsync(email, Password);
        var thief = Bearer(api, TokenOf(await api.LoginAsync(email, Password)));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(thief, "/api/v1/me"));

        var anonymous = api.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        await anonymous.PostAsJsonAsync("/api/v1/auth/password-reset", new { email });
        var (_, token) = Outbox.LinkIn(await outbox.WaitForMailAsync(email));
        Assert.Equal(HttpStatusCode.NoContent, (await anonymous.PostAsJsonAsync("/api/v1/auth/password-reset/confirm", new { token, newPassword = "a brand new secret" })).StatusCode);

        await RefusedWithinAsync(thief, "/api/v1/me", HttpStatusCode.Unauthorized, "after reset (other session)");
        await RefusedWithinAsync(victim, "/api/v1/me", HttpStatusCode.Unauthorized, "after reset (own session)");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(await api.LoginAsync(email, "a brand new secret"), "/api/v1/me"));
    }

    [Fact]
    public async Task A_password_change_ends_the_other_sessions_and_keeps_this_one()
    {
        var api = stack.Api;
        var email = NewEmail("change");
        var here = await api.RegisterAsync(email, Password);
        var elsewhere = await api.LoginAsync(email, Password);
        var changed = await here.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = Password, newPassword = "second password" });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        await RefusedWithinAsync(elsewhere, "/api/v1/me", HttpStatusCode.Unauthorized, "after password change (other session)");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(here, "/api/v1/me"));
    }

    [Fact]
    public async Task A_demoted_admin_loses_admin_routes_and_its_event_stream_within_seconds()
    {
        var api = stack.Api;
        var admin = await api.LoginAdminAsync(stack);
        var email = NewEmail("deputy");
        var deputyAsUser = await api.RegisterAsync(email, Password);
        var deputyId = (await (await deputyAsUser.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsJsonAsync($"/api/v1/admin/users/{deputyId}", new { role = "admin" })).StatusCode);
        var deputy = await api.LoginAsync(email, Password);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(deputy, "/api/v1/admin/users"));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var stream = await OpenEventStreamAsync(deputy, timeout.Token);

        var demoted = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsJsonAsync($"/api/v1/admin/users/{deputyId}", new { role = "user" })).StatusCode);
        await RefusedWithinAsync(deputy, "/api/v1/admin/users", HttpStatusCode.Forbidden, "after demotion");
        // Still signed in, as a user.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(deputy, "/api/v1/me"));

        // The stream it opened as an admin ends: reading reaches the end instead of waiting for pings.
        await ClosesWithinAsync(stream, demoted, Within + TimeSpan.FromSeconds(1), "after demotion (from the role change)", timeout.Token);
    }

    [Fact]
    public async Task A_deleted_account_s_token_is_refused()
    {
        var api = stack.Api;
        var user = await api.RegisterAsync();
        var id = (await (await user.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("id").GetGuid();
        await using (var conn = new NpgsqlConnection(api.ConnectionString))
        {
            await conn.OpenAsync();
            await using var delete = new NpgsqlCommand("DELETE FROM users WHERE id = @id", conn);
            delete.Parameters.AddWithValue("id", id);
            Assert.Equal(1, await delete.ExecuteNonQueryAsync());
        }
        await RefusedWithinAsync(user, "/api/v1/videos", HttpStatusCode.Unauthorized, "after deletion");
    }

    [Fact]
    public async Task Logout_reset_and_deletion_close_open_event_streams_within_seconds()
    {
        var outbox = Outbox.CreateTemporary();
        await using var api = stack.NewApi(new Dictionary<string, string> { ["Email:Mode"] = "Outbox", ["Email:OutboxPath"] = outbox.Folder });
        var anonymous = api.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });

        // A bearer client without cookies, as in the logout test above (a cookie logout also needs the CSRF header).
        var loggingOut = Bearer(api, TokenOf(await api.RegisterAsync()));
        await StreamClosesWithinAsync(loggingOut, "after logout",
            async () => Assert.Equal(HttpStatusCode.NoContent, (await loggingOut.PostAsync("/api/v1/auth/logout", null)).StatusCode));

        var email = NewEmail("streamreset");
        var resetting = await api.RegisterAsync(email, Password);
        await StreamClosesWithinAsync(resetting, "after reset", async () =>
        {
            await anonymous.PostAsJsonAsync("/api/v1/auth/password-reset", new { email });
            var (_, token) = Outbox.LinkIn(await outbox.WaitForMailAsync(email));
            Assert.Equal(HttpStatusCode.NoContent, (await anonymous.PostAsJsonAsync("/api/v1/auth/password-reset/confirm", new { token, newPassword = "a brand new secret" })).StatusCode);
        });

        var deleted = await api.RegisterAsync();
        var id = (await (await deleted.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("id").GetGuid();
        await StreamClosesWithinAsync(deleted, "after deletion", async () =>
        {
            await using var conn = new NpgsqlConnection(api.ConnectionString);
            await conn.OpenAsync();
            await using var delete = new NpgsqlCommand("DELETE FROM users WHERE id = @id", conn);
            delete.Parameters.AddWithValue("id", id);
            Assert.Equal(1, await delete.ExecuteNonQueryAsync());
        });
    }

    /// <summary>Opens an event stream, ends the session with <paramref name="end"/> and asserts the stream ends within 5 s.</summary>
    private async Task StreamClosesWithinAsync(HttpClient client, string what, Func<Task> end)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var stream = await OpenEventStreamAsync(client, timeout.Token);
        await end();
        await ClosesWithinAsync(stream, Stopwatch.StartNew(), Within, what, timeout.Token);
    }

    /// <summary>An open event stream, read past its "ready" line (the subscription exists).</summary>
    private static async Task<StreamReader> OpenEventStreamAsync(HttpClient client, CancellationToken ct)
    {
        var response = await client.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        Assert.Equal("event: ready", await reader.ReadLineAsync(ct));
        return reader;
    }

    /// <summary>Reading <paramref name="stream"/> reaches its end (the server closed it) within <paramref name="limit"/> of <paramref name="since"/>.</summary>
    private async Task ClosesWithinAsync(StreamReader stream, Stopwatch since, TimeSpan limit, string what, CancellationToken ct)
    {
        var closing = Task.Run(async () => { while (await stream.ReadLineAsync(ct) is not null) { } }, ct);
        Assert.Same(closing, await Task.WhenAny(closing, Task.Delay(Within + Within, ct)));
        await closing;
        output.WriteLine($"{what}: event stream closed {since.Elapsed.TotalSeconds:0.0} s later");
        Assert.True(since.Elapsed < limit, $"{what}: the stream closed only after {since.Elapsed}");
    }

    [Fact]
    public async Task Event_streams_per_user_are_capped_and_a_closed_one_frees_its_place()
    {
        await using var api = stack.NewApi(new Dictionary<string, string> { ["Events:MaxStreamsPerUser"] = "2" });
        var user = await api.RegisterAsync();
        var other = await api.RegisterAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        async Task<HttpResponseMessage> OpenAsync(HttpClient client) =>
            await client.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);

        var first = await OpenAsync(user);
        var second = await OpenAsync(user);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains("event streams", await (await OpenAsync(user)).AssertProblemAsync(HttpStatusCode.TooManyRequests));
        // The cap is per user: someone else still gets a stream.
        using var others = await OpenAsync(other);
        Assert.Equal(HttpStatusCode.OK, others.StatusCode);

        first.Dispose();
        HttpResponseMessage? again = null;
        await Eventually.HoldsAsync(async () =>
        {
            again?.Dispose();
            again = await OpenAsync(user);
            return again.StatusCode == HttpStatusCode.OK;
        }, Within, () => $"a closed stream did not free its place ({again?.StatusCode})");
        again!.Dispose();
        second.Dispose();
    }
}
